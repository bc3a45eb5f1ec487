import { type ExportPlan, planExport } from '../src/domain/export.ts';
import { exportReply, preparingText } from '../src/render/export-messages.ts';
import { errorMessage, type SlackMessage } from '../src/render/report-blocks.ts';
import { withZoneNote } from '../src/render/zone-note.ts';
import { type ExportClient, type SendExportDeps, sendExport } from '../src/slack/send-export.ts';
import type { UsersInfoClient } from '../src/slack/user-zone.ts';
import type { AssignmentStore } from '../src/store/assignment-store.ts';
import type { CommandDeps } from './deps.ts';

export interface ExportCommandDeps
  extends Pick<CommandDeps, 'userZone' | 'now' | 'allowedUsers' | 'logger' | 'work'> {
  store: Pick<AssignmentStore, 'exportRows'>;
  /** Where the file is written, how it is posted, when progress shows (tests shorten it); defaults otherwise. */
  exportOptions?: Omit<SendExportDeps, 'store' | 'logger'>;
}

export const EXPORT_WENT_WRONG =
  'Something went wrong while preparing your export. It has been logged; please try again in a minute.';

/**
 * What the export command and the Export CSV button share, once the requester may see the data: read the
 * range and filters in the requester's zone, say privately at once that the file is coming (or why not), then
 * send it to their DM. What cannot be said in the DM is said privately through `reply`.
 */
export async function startExport(
  deps: ExportCommandDeps,
  input: {
    userId: string;
    text: string;
    client: ExportClient & UsersInfoClient;
    /** A private answer to the requester. */
    reply: (message: SlackMessage) => Promise<unknown>;
    /** Aborted when a restart cancels the export: it stops, removes its file and says so. */
    signal?: AbortSignal;
  },
): Promise<void> {
  const { userId, client, reply } = input;
  let plan: ExportPlan;
  try {
    const { zone, fellBack } = await deps.userZone(userId, client);
    const request = planExport({ text: input.text, zone, now: deps.now() });
    if (request.kind === 'error') {
      await reply(errorMessage(request.message));
      return;
    }
    plan = request.plan;
    const preparing = exportReply(preparingText(plan));
    await reply(fellBack && plan.zone === zone ? withZoneNote(preparing, zone) : preparing);
  } catch (error) {
    deps.logger.error(`/assignments "${input.text}" (export) failed for ${userId}`, error);
    await reply(errorMessage(EXPORT_WENT_WRONG));
    return;
  }
  const outcome = await sendExport(
    { ...deps.exportOptions, store: deps.store, logger: deps.logger },
    client,
    { userId, plan, ...(input.signal ? { signal: input.signal } : {}) },
  );
  if (outcome.kind === 'failed' && !outcome.told) await reply(exportReply(outcome.text));
}
