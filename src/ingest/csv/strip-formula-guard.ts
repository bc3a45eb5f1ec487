/**
 * Undoes the spreadsheet guard Handoff's export writes: a leading `'` before `=`, `+`, `-`, `@`, a tab or a
 * carriage return is removed, so "'-John" imports as "-John". Any other apostrophe is the cell's own.
 */
export function stripFormulaGuard(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
