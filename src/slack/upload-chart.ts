import { Readable } from 'node:stream';
import type { Logger } from '@slack/bolt';
import { z } from 'zod';
import { callSlack, type PostBytes, postBytes, UploadRejectedError } from './upload-file.ts';

/** The part of Slack's Web API a chart upload needs (a Bolt or Web API `client` is one). */
export interface ChartUploadClient {
  files: {
    getUploadURLExternal(args: { filename: string; length: number }): Promise<unknown>;
    completeUploadExternal(args: { files: [{ id: string; title: string }] }): Promise<unknown>;
    info(args: { file: string }): Promise<unknown>;
  };
}

const uploadUrlSchema = z.object({ upload_url: z.url(), file_id: z.string().min(1) });
const infoSchema = z.object({ file: z.object({ mimetype: z.string().optional() }) });

/** Slack processes an upload after completing it; an image block may name the file once it is an image. */
export const READY_CHECKS_MS: readonly number[] = [0, 250, 500, 1000, 1000];

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Uploads PNG bytes through Slack's upload flow without sharing them anywhere (the message that shows the
 * chart shares it), then waits until Slack has processed it. Answers the file id, or `undefined` when Slack
 * had not processed it in time (logged): a block naming an unprocessed file would make the whole message fail.
 */
export async function uploadChart(
  deps: { client: ChartUploadClient; logger: Pick<Logger, 'warn'>; post?: PostBytes },
  upload: { bytes: Buffer; filename: string; title: string },
  readyChecksMs: readonly number[] = READY_CHECKS_MS,
): Promise<string | undefined> {
  const { files } = deps.client;
  const target = uploadUrlSchema.parse(
    await callSlack('files.getUploadURLExternal', () =>
      files.getUploadURLExternal({ filename: upload.filename, length: upload.bytes.length }),
    ),
  );
  const answer = await (deps.post ?? postBytes)(
    target.upload_url,
    Readable.from([upload.bytes]),
    upload.bytes.length,
  );
  if (answer.status !== 200) throw new UploadRejectedError(answer.status, answer.text);
  await callSlack('files.completeUploadExternal', () =>
    files.completeUploadExternal({ files: [{ id: target.file_id, title: upload.title }] }),
  );
  for (const ms of readyChecksMs) {
    if (ms > 0) await wait(ms);
    let info: z.infer<typeof infoSchema>;
    try {
      info = infoSchema.parse(await files.info({ file: target.file_id }));
    } catch (error) {
      // Without files:read the upload cannot be checked; it is used as it is rather than not at all.
      deps.logger.warn(
        `files.info failed for chart ${target.file_id} (add the files:read scope): ${error instanceof Error ? error.message : String(error)}`,
      );
      return target.file_id;
    }
    if (info.file.mimetype?.startsWith('image/')) return target.file_id;
  }
  deps.logger.warn(`Slack had not processed chart ${target.file_id} in time; it is left out of the message`);
  return undefined;
}
