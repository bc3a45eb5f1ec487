/**
 * Undoes the spreadsheet guard Handoff's export writes: one leading `'` before `=`, `+`, `-`, `@`, a tab or a
 * carriage return (possibly after more apostrophes) is removed, so "'-John" imports as "-John" and "''=x", the
 * export of a name that was "'=x", as "'=x". Any other apostrophe is the cell's own.
 */
export function stripFormulaGuard(text: string): string {
  return /^'+[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
