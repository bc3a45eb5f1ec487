import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  StaticSelectAction,
} from '@slack/bolt';
import { isRestart } from '../src/lifecycle/work-tracker.ts';
import { errorMessage, type SlackMessage } from '../src/render/report-blocks.ts';
import { yieldToPendingIo } from '../src/slack/yield-to-pending-io.ts';
import { type CommandDeps, isAllowed, NOT_ALLOWED, RESTARTING, tracked } from './deps.ts';
import { type Delivery, respondOrPost } from './respond-or-post.ts';

/** A button press, or a choice in a menu (the By … views): both carry a state in their value. */
export type ButtonOrMenuAction = BlockAction<ButtonAction | StaticSelectAction>;
type ButtonArgs = SlackActionMiddlewareArgs<ButtonOrMenuAction> & AllMiddlewareArgs;

/** Answers the press: by default a new private message, leaving the one the button is on as it was. */
export type SendAnswer = (
  message: SlackMessage,
  options?: { replaceOriginal?: boolean; visibility?: 'ephemeral' | 'in_channel' },
) => Promise<Delivery>;

export interface ButtonPress {
  userId: string;
  actionId: string;
  value: string;
  client: ButtonArgs['client'];
  send: SendAnswer;
  /** Aborted when a restart cancels the press's work (exports stop at the next step). */
  signal: AbortSignal;
}

/**
 * The shape every report button shares, as answerPrivately is for subcommands: ack at once, let other pending
 * acks go first, check again who may see the data, then hand the press to `handle`. Every answer goes through
 * respondOrPost, so a press after its response_url expired still gets one. `replaceWhenNotAllowed` takes the
 * numbers off the screen of someone no longer on the list (views); a share or export just says no. A press on
 * a message everyone sees (a digest in its channel) is answered privately to whoever pressed, never by
 * replacing that message.
 */
export function answerButton(
  deps: Pick<CommandDeps, 'allowedUsers' | 'logger' | 'work'>,
  options: { replaceWhenNotAllowed: boolean },
  handle: (press: ButtonPress) => Promise<void>,
) {
  return async ({ ack, body, action, respond, client }: ButtonArgs): Promise<void> => {
    await ack();
    await yieldToPendingIo();
    const userId = body.user.id;
    const onSharedMessage = body.container.is_ephemeral === false;
    const send: SendAnswer = (message, how = {}) =>
      respondOrPost({
        respond,
        client,
        channelId: body.channel?.id,
        userId,
        logger: deps.logger,
        message,
        replaceOriginal: !onSharedMessage && (how.replaceOriginal ?? false),
        ...(how.visibility ? { visibility: how.visibility } : {}),
      });
    if (!isAllowed(deps, userId)) {
      await send(errorMessage(NOT_ALLOWED), { replaceOriginal: options.replaceWhenNotAllowed });
      return;
    }
    try {
      const value = action.type === 'static_select' ? action.selected_option.value : (action.value ?? '');
      await tracked(deps.work, `button ${action.action_id} for ${userId}`, (signal) =>
        handle({ userId, actionId: action.action_id, value, client, send, signal }),
      );
    } catch (error) {
      if (!isRestart(error)) throw error;
      await send(errorMessage(RESTARTING));
    }
  };
}
