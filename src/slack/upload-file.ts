import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';

/** The part of Slack's Web API an upload needs (a Bolt `client` is one). */
export interface FileUploadClient {
  files: {
    getUploadURLExternal(args: { filename: string; length: number }): Promise<unknown>;
    completeUploadExternal(args: {
      files: [{ id: string; title: string }];
      channel_id: string;
      initial_comment: string;
    }): Promise<unknown>;
  };
}

/** POSTs `length` bytes from `body` to `url`; answers the HTTP status and the start of the response text. */
export type PostBytes = (
  url: string,
  body: Readable,
  length: number,
  signal?: AbortSignal,
) => Promise<{ status: number; text: string }>;

export interface UploadRequest {
  path: string;
  filename: string;
  title: string;
  /** Where the file is shared: a channel, or a DM from conversations.open. */
  channelId: string;
  initialComment: string;
}

/** The bytes were refused at the upload URL. */
export class UploadRejectedError extends Error {
  constructor(
    readonly status: number,
    text: string,
  ) {
    super(`the upload URL answered HTTP ${status}: ${text}`);
  }
}

/** A Web API call failed; `method` says which, `cause` is the client's error. */
export class SlackCallError extends Error {
  constructor(
    readonly method: string,
    cause: unknown,
  ) {
    super(`${method} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Runs one Web API call, naming the method in its failure so a message can say which scope or step failed. */
export async function callSlack<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new SlackCallError(method, error);
  }
}

const uploadUrlSchema = z.object({ upload_url: z.url(), file_id: z.string().min(1) });

// The upload URL answers with a short text ("OK - 1234"); more than this is not worth keeping for a message.
const MAX_ANSWER = 1024;
// An upload with no bytes moving for this long has stalled: the requester hears so within a minute.
const STALL_MS = 30_000;

/** The default PostBytes: node:http or node:https with the length announced, so the body is streamed, not held. */
export const postBytes: PostBytes = (url, body, length, signal) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
        timeout: STALL_MS,
        ...(signal ? { signal } : {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < MAX_ANSWER) text += chunk.slice(0, MAX_ANSWER - text.length);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`the upload stalled for ${STALL_MS / 1000} s`)));
    req.on('error', reject);
    // The file is read as the socket drains; pipeline closes it whichever side fails.
    pipeline(body, req).catch(reject);
  });

/**
 * Slack's upload flow (`files.upload` is retired): `files.getUploadURLExternal` with the byte length, the bytes
 * streamed to the URL it hands out, then `files.completeUploadExternal`, which shares the file in `channelId`
 * with the comment. The file is never read into memory. Answers the file's id.
 */
export async function uploadFile(
  deps: { client: FileUploadClient; post?: PostBytes },
  upload: UploadRequest,
  signal?: AbortSignal,
): Promise<{ fileId: string }> {
  const { size } = await stat(upload.path);
  const { files } = deps.client;
  const target = uploadUrlSchema.parse(
    await callSlack('files.getUploadURLExternal', () =>
      files.getUploadURLExternal({ filename: upload.filename, length: size }),
    ),
  );
  signal?.throwIfAborted();
  const answer = await (deps.post ?? postBytes)(
    target.upload_url,
    createReadStream(upload.path),
    size,
    signal,
  );
  if (answer.status !== 200) throw new UploadRejectedError(answer.status, answer.text);
  // Once the bytes are there, the file is shared whatever happens: completing it takes one short call.
  await callSlack('files.completeUploadExternal', () =>
    files.completeUploadExternal({
      files: [{ id: target.file_id, title: upload.title }],
      channel_id: upload.channelId,
      initial_comment: upload.initialComment,
    }),
  );
  return { fileId: target.file_id };
}
