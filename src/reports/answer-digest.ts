import type { ComposeDigest } from '../domain/digest.ts';
import { describeOccurrence, nextDstGap, nextRun } from '../domain/digest-schedule.ts';
import {
  type DigestAddRequest,
  matchTeam,
  parseDigestCommand,
  unknownChannelError,
  unknownDigestError,
} from '../domain/parse-digest-command.ts';
import { addDays, localDateOf } from '../domain/time.ts';
import { addedText, digestLine, helpText, listText, logText } from '../render/digest-admin-text.ts';
import { type DigestPosting, explainPostError, postDigest } from '../slack/post-digest.ts';
import type { DigestStore, StoredDigest } from '../store/digest-store.ts';
import type { TeamDirectory } from '../store/team-directory.ts';

// `/assignments digest …`: managing digests from Slack. Slack lookups come in as functions, so this is the same
// with the real Web API, the fake one, or none.

export interface DigestCommandDeps extends DigestPosting {
  store: DigestStore;
  compose: ComposeDigest;
  /** Slack user ids who manage digests; empty means workspace admins and owners. */
  admins: string[];
}

export interface DigestSlackLookups {
  /** `conversations.info`: the channel's name and whether the bot is in it (null when Slack does not say). */
  channelInfo(
    id: string,
  ): Promise<{ ok: true; name: string; isMember: boolean | null } | { ok: false; error: string }>;
  /** `users.info`: is_admin or is_owner. */
  isWorkspaceAdmin(userId: string): Promise<boolean>;
}

export interface DigestInput {
  text: string;
  userId: string;
  /** The requester's Slack time zone: the default for a new digest. */
  zone: string;
  now: Date;
}

export type DigestAnswer = { kind: 'error'; message: string } | { kind: 'text'; text: string };

const error = (message: string): DigestAnswer => ({ kind: 'error', message });
const text = (value: string): DigestAnswer => ({ kind: 'text', text: value });

export function notAdminMessage(admins: readonly string[]): string {
  return admins.length > 0
    ? 'Only the people listed in DIGEST_ADMINS manage digests; everyone may `/assignments digest list`.'
    : 'Only workspace admins and owners manage digests (or set DIGEST_ADMINS); everyone may `/assignments digest list`.';
}

async function mayManage(
  deps: DigestCommandDeps,
  slack: DigestSlackLookups,
  userId: string,
): Promise<boolean> {
  if (deps.admins.length > 0) return deps.admins.includes(userId);
  return slack.isWorkspaceAdmin(userId);
}

/** The directory's teams and those seen on events. */
async function teamNames(agents: Pick<TeamDirectory, 'teams'>): Promise<string[]> {
  return (await agents.teams()).map((t) => t.name);
}

async function add(
  deps: DigestCommandDeps & { agents: Pick<TeamDirectory, 'teams'> },
  slack: DigestSlackLookups,
  input: DigestInput,
  request: DigestAddRequest,
): Promise<DigestAnswer> {
  const team = matchTeam(request.team, await teamNames(deps.agents));
  if ('error' in team) return error(team.error);
  const channel = await slack.channelInfo(request.channel.id);
  if (!channel.ok) return error(unknownChannelError(request.channel, channel.error));
  const def = await deps.store.add({
    channelId: request.channel.id,
    channelName: channel.name,
    team: team.team,
    at: request.at,
    zone: request.zone ?? input.zone,
    weekdaysOnly: request.weekdaysOnly,
    skipEmpty: request.skipEmpty,
    filters: request.filters,
    createdBy: input.userId,
    createdAt: input.now,
  });
  return text(
    addedText(def, nextRun(def, input.now), {
      dstGap: nextDstGap(def, input.now),
      botNotInChannel: channel.isMember === false,
    }),
  );
}

/** Posts a digest now, marked as a test; it counts as nobody's delivery. */
async function test(deps: DigestCommandDeps, def: StoredDigest, now: Date): Promise<DigestAnswer> {
  const localDate = localDateOf(now, def.zone);
  const composed = await deps.compose(def, addDays(localDate, -1), { test: true, delayedBy: null });
  const result = await postDigest(deps, def.channelId, composed);
  const candidate = { digestId: def.id, localDate, scheduledAt: now };
  if (!result.ok) {
    const reason = explainPostError(result.error, { id: def.channelId, name: def.channelName });
    await deps.store.recordTest(candidate, { state: 'failed', at: now, reason, ts: null });
    return error(`The test of \`${def.id}\` was not posted: ${reason}.`);
  }
  await deps.store.recordTest(candidate, { state: 'posted', at: now, reason: null, ts: result.ts });
  const skipNote =
    composed.empty && def.skipEmpty
      ? ' Yesterday had no assignments, so with skip-empty the scheduled run would post nothing.'
      : '';
  return text(
    `:test_tube: Posted a test of \`${def.id}\` to <#${def.channelId}> (it does not count as a delivery).${skipNote}`,
  );
}

/** Answers one `/assignments digest …` command. */
export async function answerDigest(
  deps: DigestCommandDeps & { agents: Pick<TeamDirectory, 'teams'> },
  slack: DigestSlackLookups,
  input: DigestInput,
): Promise<DigestAnswer> {
  const parsed = parseDigestCommand(input.text);
  if (!parsed.ok) return error(parsed.error);
  const command = parsed.command;
  if (command.kind === 'help') return text(helpText());
  if (command.kind === 'list') {
    const digests = await deps.store.list();
    return text(listText(digests.map((def) => ({ def, next: nextRun(def, input.now) }))));
  }
  if (!(await mayManage(deps, slack, input.userId))) return error(notAdminMessage(deps.admins));
  if (command.kind === 'add') return add(deps, slack, input, command.request);

  const def = await deps.store.get(command.id);
  if (!def)
    return error(
      unknownDigestError(
        command.id,
        (await deps.store.list()).map((d) => d.id),
      ),
    );
  switch (command.kind) {
    case 'remove':
      await deps.store.remove(def.id);
      return text(`:wastebasket: Removed ${digestLine(def)}.`);
    case 'pause': {
      const paused = await deps.store.setPaused(def.id, true, input.now);
      return text(
        `:double_vertical_bar: Paused ${digestLine(paused ?? def)}. \`digest resume ${def.id}\` starts it again.`,
      );
    }
    case 'resume': {
      const resumed = (await deps.store.setPaused(def.id, false, input.now)) ?? def;
      const next = nextRun(resumed, input.now);
      return text(
        `:arrow_forward: Resumed ${digestLine(resumed)} · next: ${next ? describeOccurrence(next, resumed.zone) : 'none'}.`,
      );
    }
    case 'test':
      return test(deps, def, input.now);
    case 'log':
      return text(logText(def, await deps.store.log(def.id)));
  }
}
