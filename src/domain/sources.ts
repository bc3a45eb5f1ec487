/**
 * The seven assignment sources of the Assignments report, in the order the report lists them, and an eighth,
 * `unknown`, for webhooks that do not say (respond.io's contact.assignee.updated), so the seven stay exact.
 */
export const SOURCES = [
  'developer_api',
  'workflow',
  'bot',
  'zapier',
  'user',
  'contact_import',
  'close_conversation',
  'unknown',
] as const;

export type Source = (typeof SOURCES)[number];

export const SOURCE_LABELS: Readonly<Record<Source, string>> = {
  developer_api: 'Developer API',
  workflow: 'Workflow',
  bot: 'Bot',
  zapier: 'Zapier',
  user: 'User',
  contact_import: 'Contact Import',
  close_conversation: 'Close Conversation',
  unknown: 'Unknown (webhook)',
};

function normalise(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/\s*\(.*\)$/, '')
    .replace(/[\s-]+/g, '_');
}

const BY_NAME = new Map<string, Source>(
  SOURCES.flatMap((s) => [
    [s, s],
    [normalise(SOURCE_LABELS[s]), s],
  ]),
);

/** Accepts an id (`developer_api`) or a label (`Developer API`), case-insensitively. */
export function parseSource(text: string): Source | undefined {
  return BY_NAME.get(normalise(text));
}

/** Every spelling `parseSource` accepts, for suggestions. */
export function sourceSpellings(): string[] {
  return [...BY_NAME.keys()];
}
