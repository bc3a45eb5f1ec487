import { isValidZone } from './time.ts';

// One spelling per zone, wherever a zone name enters (configuration, `tz:`, `digest add`, Slack's users.info):
// what is shown, stored and compared. Node's Intl resolves case (`asia/kuala_lumpur`) and links (`US/Eastern`)
// but answers with CLDR's canonical names, which keep some names IANA has since replaced; those are mapped to
// the current IANA name here. No zone name is ever sent to MongoDB (local days are computed in Node), so the
// server's own tz data cannot reject or misread any of them.

/** CLDR's canonical names that IANA has renamed (CLDR's `iana` attribute), and UTC's many aliases. */
const IANA_NAMES: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
  // Node 20 already answers `UTC` for these; other ICU builds may keep the alias.
  'Etc/UTC': 'UTC',
  'Etc/UCT': 'UTC',
  'Etc/Universal': 'UTC',
  'Etc/Zulu': 'UTC',
  'Etc/GMT': 'UTC',
  'Etc/GMT0': 'UTC',
  'Etc/GMT+0': 'UTC',
  'Etc/GMT-0': 'UTC',
  'Etc/Greenwich': 'UTC',
  GMT: 'UTC',
  GMT0: 'UTC',
  'GMT+0': 'UTC',
  'GMT-0': 'UTC',
  Greenwich: 'UTC',
  UCT: 'UTC',
  Universal: 'UTC',
  Zulu: 'UTC',
};

/**
 * The IANA canonical name of a zone Node knows, in any case or through any link (`asia/kuala_lumpur` →
 * `Asia/Kuala_Lumpur`, `Europe/Kiev` → `Europe/Kyiv`, `Etc/UTC` → `UTC`); undefined for a name Node does not know.
 */
export function canonicalZone(name: string): string | undefined {
  const typed = name.trim();
  if (!isValidZone(typed)) return undefined;
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: typed }).resolvedOptions().timeZone;
  return IANA_NAMES[resolved] ?? resolved;
}
