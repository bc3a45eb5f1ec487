import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '@slack/bolt';
import { z } from 'zod';
import { canonicalZone } from '../../domain/canonical-zone.ts';
import { isValidZone } from '../../domain/time.ts';
import { makeWorkDir, privateTempRoot } from '../../lifecycle/temp-space.ts';
import type { AssignmentStore } from '../../store/assignment-store.ts';
import { authorizeIngest } from '../authorize-ingest.ts';
import { sendJson } from '../send-json.ts';
import { stoppedText } from './format-import-summary.ts';
import { importAssignmentsCsv } from './import-assignments-csv.ts';

export const MAX_CSV_BODY_BYTES = 200 * 1024 * 1024;

const CSV_TYPES = new Set(['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel']);

export interface CsvImportEndpointDeps {
  store: Pick<AssignmentStore, 'ingest' | 'ping'>;
  /** The clock row times are checked against; the real one by default. */
  now?: () => Date;
  ingestToken: string | undefined;
  logger: Logger;
  /** Zone for timestamps without an offset when the request names none (DEFAULT_TIMEZONE). */
  defaultTimezone: string;
  maxBodyBytes?: number;
  /** The private directory uploads are spooled in while imported (`$TMPDIR/handoff-<uid>`, mode 0700, by default). */
  tmpDir?: string;
}

const querySchema = z.object({
  timezone: z
    .string()
    .refine(
      isValidZone,
      'is not an IANA time zone; use a name such as Asia/Kuala_Lumpur, America/New_York or UTC',
    )
    .transform((zone) => canonicalZone(zone) ?? zone)
    .optional(),
  skipInvalid: z
    .enum(['true', 'false', '1', '0'], 'must be true or false')
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});

/** Copies the body to a file, keeping at most `limit` bytes; answers whether the body was longer. */
async function spool(req: IncomingMessage, path: string, limit: number): Promise<{ tooLarge: boolean }> {
  let size = 0;
  // Past the limit the rest is read and dropped, so the client gets the 413 rather than a reset connection.
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(null, size > limit ? undefined : chunk);
    },
  });
  await pipeline(req, cap, createWriteStream(path));
  return { tooLarge: size > limit };
}

interface Answer {
  status: number;
  body: unknown;
}

const tooLarge = (limit: number): Answer => ({
  status: 413,
  body: {
    error: `body over ${limit} bytes: split the export into smaller files (by date range) and send each`,
  },
});

/** Spools the body to `path`, then imports it in two streaming passes over the file. */
async function spoolAndImport(
  deps: CsvImportEndpointDeps,
  req: IncomingMessage,
  path: string,
  limit: number,
  options: { timezone: string; skipInvalid: boolean; signal?: AbortSignal },
): Promise<Answer> {
  if ((await spool(req, path, limit)).tooLarge) return tooLarge(limit);
  try {
    // Ask first, so that an unreachable store is a 503 before anything is read.
    await deps.store.ping();
    const summary = await importAssignmentsCsv(
      { store: deps.store, ...(deps.now ? { now: deps.now } : {}) },
      () => createReadStream(path),
      options,
    );
    if (summary.ok) return { status: 200, body: summary };
    // A restart stopped it between batches: 503, so the sender sends the file again (stored rows are duplicates).
    if (summary.stopped)
      return {
        status: 503,
        body: {
          error: `stopped by a restart. ${stoppedText(summary.stopped).replace('Run the same command again', 'Send the same file again')}`,
          ...summary,
        },
      };
    const error = options.skipInvalid
      ? 'the file could not be read: fix the problems listed and send it again'
      : 'invalid rows: nothing was imported; fix the rows listed in problems (or send skipInvalid=true to import the rest)';
    return { status: 400, body: { error, ...summary } };
  } catch (error) {
    deps.logger.error('POST /api/import/csv: the store failed; answered 503', error);
    return {
      status: 503,
      body: {
        error:
          'the store failed: the rows before the failure may be imported; send the same file again later (sending it again is exact: stored rows count as duplicates)',
      },
    };
  }
}

/**
 * `POST /api/import/csv?timezone=Asia/Kuala_Lumpur[&skipInvalid=true]`: the Assignments report's log export as
 * a `text/csv` body. The body is spooled to a temporary file (deleted afterwards) so the import streams over it
 * in two passes without holding it. 200 with the import summary; 400 when rows are bad and nothing was imported
 * (or, with skipInvalid, the rejected rows' problems in the summary); 401; 413; 415; 503 when the store fails.
 */
export function csvImportEndpoint(deps: CsvImportEndpointDeps) {
  const limit = deps.maxBodyBytes ?? MAX_CSV_BODY_BYTES;
  return async (req: IncomingMessage, res: ServerResponse, signal?: AbortSignal): Promise<void> => {
    if (!authorizeIngest(req, res, deps.ingestToken, { name: 'import', route: 'POST /api/import/csv' }))
      return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = querySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) {
      req.resume();
      sendJson(res, 400, {
        error: query.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '),
      });
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!CSV_TYPES.has(type)) {
      req.resume();
      sendJson(res, 415, { error: 'send the file as the body with Content-Type: text/csv' });
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      const { status, body } = tooLarge(limit);
      sendJson(res, status, body);
      return;
    }
    const options = {
      timezone: query.data.timezone ?? deps.defaultTimezone,
      skipInvalid: query.data.skipInvalid,
      ...(signal ? { signal } : {}),
    };
    const dir = await makeWorkDir(deps.tmpDir ?? privateTempRoot(), 'csv');
    let answer: Answer;
    try {
      answer = await spoolAndImport(deps, req, join(dir, 'upload.csv'), limit, options);
    } finally {
      // Before answering, so that nothing of the upload outlives the request.
      await rm(dir, { recursive: true, force: true });
    }
    sendJson(res, answer.status, answer.body);
  };
}
