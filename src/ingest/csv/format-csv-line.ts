/** One CSV line (with its CRLF), quoting only the fields that need it, as RFC 4180 does. */
export function formatCsvLine(fields: readonly string[], delimiter = ','): string {
  return `${fields
    .map((f) =>
      f.includes('"') || f.includes(delimiter) || f.includes('\n') || f.includes('\r') || f !== f.trim()
        ? `"${f.replaceAll('"', '""')}"`
        : f,
    )
    .join(delimiter)}\r\n`;
}
