/**
 * Undoes the three escapes Slack applies to what people type (`&amp;`, `&lt;`, `&gt;`); `&amp;` last, so a
 * typed `&amp;lt;` comes back as `&lt;`, as it was typed.
 */
export function decodeEntities(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}
