import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SlackCallError, UploadRejectedError, uploadFile } from '../../src/slack/upload-file.ts';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';

describe('uploadFile against the fake Slack API', () => {
  let slack: FakeSlackApi;
  let client: webApi.WebClient;
  let dir: string;
  let path: string;
  // Over 1 MiB of multi-byte UTF-8: the announced length is bytes, not characters, and the body is streamed.
  const bytes = Buffer.concat([
    Buffer.from('\uFEFFTimestamp,Contact Name\r\n'),
    Buffer.alloc(1_200_000, 'é,\r\n'),
  ]);

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    client = new webApi.WebClient('xoxb-test', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    dir = await mkdtemp(join(tmpdir(), 'handoff-upload-test-'));
    path = join(dir, 'file.csv');
    await writeFile(path, bytes);
  });

  afterEach(() => {
    slack.failures.clear();
  });

  afterAll(async () => {
    await slack.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const request = {
    filename: 'assignments-2026-11-25.csv',
    title: 'Assignments log',
    channelId: 'DU1',
    initialComment: '*Assignments log export*: 3 rows',
  };

  it('announces the length, streams the bytes to the upload URL, then completes into the channel', async () => {
    const { fileId } = await uploadFile({ client }, { path, ...request });
    const upload = slack.uploads.get(fileId);
    expect(upload?.filename).toBe('assignments-2026-11-25.csv');
    expect(upload?.length).toBe(bytes.length);
    expect(upload?.bytes.equals(bytes)).toBe(true);
    expect(upload?.completed).toEqual({
      channelId: 'DU1',
      initialComment: '*Assignments log export*: 3 rows',
      title: 'Assignments log',
    });
    expect(slack.calls.map((c) => c.method).slice(-2)).toEqual([
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    expect(slack.callsTo('files.upload')).toHaveLength(0);
  });

  it('names the method Slack refused, with its error', async () => {
    slack.failures.set('files.getUploadURLExternal', 'missing_scope');
    const failure = uploadFile({ client }, { path, ...request });
    await expect(failure).rejects.toBeInstanceOf(SlackCallError);
    await expect(failure).rejects.toMatchObject({
      method: 'files.getUploadURLExternal',
      cause: { data: { error: 'missing_scope' } },
    });
  });

  it('fails when the upload URL refuses the bytes, and completes nothing', async () => {
    const completes = slack.callsTo('files.completeUploadExternal').length;
    const failure = uploadFile(
      { client, post: async () => ({ status: 500, text: 'storage unavailable' }) },
      { path, ...request },
    );
    await expect(failure).rejects.toBeInstanceOf(UploadRejectedError);
    await expect(failure).rejects.toMatchObject({ status: 500 });
    expect(slack.callsTo('files.completeUploadExternal')).toHaveLength(completes);
  });

  it('lets files.completeUploadExternal catch a length that does not match', async () => {
    // A POST that drops the last byte: Slack (and the fake) refuse to complete it.
    const failure = uploadFile(
      {
        client,
        post: async (url, body, length) => {
          const chunks: Buffer[] = [];
          for await (const chunk of body) chunks.push(Buffer.from(chunk));
          const short = Buffer.concat(chunks).subarray(0, length - 1);
          const res = await fetch(url, { method: 'POST', body: short });
          return { status: res.status, text: await res.text() };
        },
      },
      { path, ...request },
    );
    await expect(failure).rejects.toMatchObject({
      method: 'files.completeUploadExternal',
      cause: { data: { error: 'upload_length_mismatch' } },
    });
  });
});
