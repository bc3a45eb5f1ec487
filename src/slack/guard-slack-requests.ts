import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { HTTPModuleFunctions, isValidSlackRequest, type Logger } from '@slack/bolt';
import { z } from 'zod';

// Bolt's HTTP receiver trusts the shape of a signed body: `payload=null` reads `null.ssl_check` outside any
// try (an unhandled rejection that ended the process), and a command without `text` or a button press without
// `user` throws inside the listeners (a 500). Here every body for /slack/events is read once, as Bolt reads
// it, and checked for the fields the listeners use before Bolt sees it. A malformed body is logged and
// answered 400 (401 when it is not signed either), and the process keeps serving.

const SLACK_EVENTS = '/slack/events';

const commandSchema = z.object({
  command: z.string().min(1),
  user_id: z.string().min(1),
  text: z.string(),
  response_url: z.string().min(1),
  channel_id: z.string().optional(),
});

const buttonsSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().min(1) }),
  actions: z.array(z.object({ action_id: z.string().min(1), value: z.string().optional() })).min(1),
});

const anyPayloadSchema = z.object({ type: z.string().min(1) });

/** What Bolt will make of the body: the form fields, the JSON of `payload`, or the JSON body. */
function readBody(raw: string, contentType: string | undefined): unknown {
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = parseQuery(raw);
    return typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
  }
  return JSON.parse(raw);
}

/** Why Bolt's listeners cannot take this body, or undefined when they can. Exported for tests. */
export function describeMalformedBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return `the body is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}, not an object`;
  if ('ssl_check' in body) return undefined;
  const checked =
    'command' in body
      ? commandSchema.safeParse(body)
      : 'type' in body && body.type === 'block_actions'
        ? buttonsSchema.safeParse(body)
        : anyPayloadSchema.safeParse(body);
  if (checked.success) return undefined;
  return checked.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

function answer(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}

/**
 * Wraps the receiver's request listener: POST /slack/events is buffered and checked here, then handed to Bolt
 * (which reuses the buffered body); every other request goes to Bolt as it came.
 */
export function guardSlackRequests(
  listener: RequestListener,
  options: { signingSecret: string; logger: Pick<Logger, 'warn'>; bodyLimit?: number },
): RequestListener {
  const bodyLimit = options.bodyLimit ?? HTTPModuleFunctions.defaultBodyLimit;
  const check = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let raw: string;
    try {
      raw = (await HTTPModuleFunctions.bufferIncomingMessage(req, bodyLimit)).rawBody.toString();
    } catch (error) {
      const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && error.statusCode === 413;
      options.logger.warn(`POST ${SLACK_EVENTS}: the body could not be read (${String(error)})`);
      answer(res, tooLarge ? 413 : 400);
      return;
    }
    let problem: string | undefined;
    try {
      problem = describeMalformedBody(readBody(raw, req.headers['content-type']));
    } catch (error) {
      problem = `the body is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
    }
    if (problem === undefined) {
      listener(req, res);
      return;
    }
    const signed = isValidSlackRequest({
      signingSecret: options.signingSecret,
      body: raw,
      headers: {
        'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''),
        'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
      },
    });
    options.logger.warn(
      `POST ${SLACK_EVENTS}: ${signed ? 'a signed' : 'an unsigned'} request Slack would not send (${problem}); answered ${signed ? 400 : 401}`,
    );
    answer(res, signed ? 400 : 401);
  };
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== SLACK_EVENTS || req.method !== 'POST') {
      listener(req, res);
      return;
    }
    check(req, res).catch((error: unknown) => {
      options.logger.warn(`POST ${SLACK_EVENTS} failed before Bolt saw it`, error);
      answer(res, 400);
    });
  };
}
