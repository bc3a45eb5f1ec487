import type { types } from '@slack/bolt';
import type { ChartImage } from './chart.ts';
import { truncate } from './escape.ts';

// Small Block Kit builders for the timeline, log and leaderboard messages, cutting text to Slack's limits.

type KnownBlock = types.KnownBlock;

/** Slack's limits: characters per text object, per header, and blocks per message. */
export const MAX_TEXT = 3000;
export const MAX_HEADER = 150;
export const MAX_BLOCKS = 50;
/** Characters of an image's alt text and title. */
export const MAX_IMAGE_TEXT = 2000;

export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, MAX_HEADER) } };
}

export function section(text: string): KnownBlock {
  return { type: 'section', text: mrkdwn(text) };
}

/**
 * A chart with its alt text (which states the numbers) and title: a QuickChart URL, or a file uploaded to Slack
 * (CHARTS=local). A PNG on disk is the console's, never a block.
 */
export function imageBlocks(chart: ChartImage | undefined): KnownBlock[] {
  if (!chart || chart.source.kind === 'file') return [];
  const common = {
    type: 'image',
    alt_text: truncate(chart.alt, MAX_IMAGE_TEXT),
    title: { type: 'plain_text', text: truncate(chart.title, MAX_IMAGE_TEXT) },
  } as const;
  return [
    chart.source.kind === 'url'
      ? { ...common, image_url: chart.source.url }
      : { ...common, slack_file: { id: chart.source.id } },
  ];
}

export function context(...texts: string[]): KnownBlock {
  return { type: 'context', elements: texts.map(mrkdwn) };
}

export function mrkdwn(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: truncate(text, MAX_TEXT) };
}

/** One actions block of the buttons and menus given, or nothing when there are none. */
export function actions(elements: readonly types.ActionsBlockElement[]): KnownBlock[] {
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
