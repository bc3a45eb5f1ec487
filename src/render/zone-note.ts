import { context, MAX_BLOCKS } from './block-parts.ts';
import { escapeEntities } from './escape.ts';
import type { SlackMessage } from './report-blocks.ts';

/** Said under an answer counted in DEFAULT_TIMEZONE because Slack could not tell the requester's own zone. */
export function zoneFallbackText(zone: string): string {
  return `:information_source: Days and times here are in ${escapeEntities(zone)} (DEFAULT_TIMEZONE): Slack could not tell your time zone just now. Add \`tz:\` with yours (e.g. \`tz:Asia/Kuala_Lumpur\`) to choose it.`;
}

/** The message with the note as its last block (when a block is still free) and at the end of its text. */
export function withZoneNote(message: SlackMessage, zone: string): SlackMessage {
  const note = zoneFallbackText(zone);
  return {
    text: `${message.text}\n${note}`,
    blocks: message.blocks.length < MAX_BLOCKS ? [...message.blocks, context(note)] : message.blocks,
  };
}
