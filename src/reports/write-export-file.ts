import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportRow } from '../domain/export.ts';
import { exportHeader, exportLine } from '../render/export-csv.ts';

/** Lines are gathered into writes of about this many characters. */
const WRITE_CHUNK = 64 * 1024;

/**
 * Writes rows as the export CSV to a new file at `path`, pulling the next row only when the file has taken the
 * last ones: the file's backpressure reaches the store's cursor, so memory holds one chunk, not the result.
 * `onRows` hears the running count after each write. A failure on either side, or `signal`, ends both (the
 * cursor is closed).
 */
export async function writeExportFile(
  rows: AsyncIterable<ExportRow>,
  zone: string,
  path: string,
  onRows?: (rows: number) => void,
  signal?: AbortSignal,
): Promise<{ rows: number; bytes: number }> {
  let count = 0;
  async function* text(): AsyncGenerator<string> {
    yield exportHeader();
    let chunk = '';
    for await (const row of rows) {
      chunk += exportLine(row, zone);
      count++;
      if (chunk.length >= WRITE_CHUNK) {
        yield chunk;
        chunk = '';
        onRows?.(count);
      }
    }
    if (chunk) yield chunk;
    onRows?.(count);
  }
  // `wx`: a fresh file only, never one that something else put there.
  // An abort (a restart) ends both sides too: the cursor is closed and the partial file left for the caller to remove.
  await pipeline(Readable.from(text()), createWriteStream(path, { flags: 'wx' }), signal ? { signal } : {});
  return { rows: count, bytes: (await stat(path)).size };
}
