import type { types } from '@slack/bolt';
import { truncate } from './escape.ts';

// Small Block Kit builders for the timeline, log and leaderboard messages, cutting text to Slack's limits.

type KnownBlock = types.KnownBlock;

/** Slack's limits: characters per text object, per header, and blocks per message. */
export const MAX_TEXT = 3000;
export const MAX_HEADER = 150;
export const MAX_BLOCKS = 50;

export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, MAX_HEADER) } };
}

export function section(text: string): KnownBlock {
  return { type: 'section', text: mrkdwn(text) };
}

export function context(...texts: string[]): KnownBlock {
  return { type: 'context', elements: texts.map(mrkdwn) };
}

export function mrkdwn(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: truncate(text, MAX_TEXT) };
}

/** One actions block of the buttons given, or nothing when there are none. */
export function actions(elements: readonly types.Button[]): KnownBlock[] {
  return elements.length > 0 ? [{ type: 'actions', elements: [...elements] }] : [];
}

/**
 * Lines joined into as few sections as fit Slack's 3,000 characters each (a line is never split), so a long
 * list stays whole instead of being cut at the limit.
 */
export function linesInSections(lines: readonly string[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current = '';
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length > MAX_TEXT && current) {
      blocks.push(section(current));
      current = line;
    } else current = next;
  }
  if (current) blocks.push(section(current));
  return blocks;
}
