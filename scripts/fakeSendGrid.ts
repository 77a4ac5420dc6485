import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SendGridMailer, type SendGridMailerOptions } from '../shared/adapters/mail/sendGridMailer';

/** One entry of SendGrid's error body: `{"errors":[{"message","field","help"}]}`. */
export interface SendGridErrorItem {
  readonly message: string;
  readonly field: string | null;
  readonly help: string | null;
}

/** A scripted answer: a status with SendGrid's headers and body, or a connection dropped unanswered. */
export type CannedResponse =
  | {
      readonly status: number;
      /** Retry-After, in seconds (or an HTTP date). */
      readonly retryAfter?: number | string;
      /** X-RateLimit-Reset, a unix time in seconds. */
      readonly rateLimitReset?: number;
      readonly errors?: readonly SendGridErrorItem[];
      /** Answer only after this long, to trip client timeouts. */
      readonly delayMs?: number;
      /**
       * Send the status line and headers at once, then a body of `bytes` spaces, one every
       * `intervalMs`: the socket is never idle, yet the answer does not end for `bytes × intervalMs`.
       */
      readonly trickle?: { readonly bytes: number; readonly intervalMs: number };
    }
  | { readonly hangUp: true };

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when it was not JSON. */
  readonly body: unknown;
  readonly bytes: number;
  /** What the fake answered; 0 when it hung up. */
  status: number;
  /** True once the client closed the connection before the answer was complete. */
  closedByClient: boolean;
  /** Settles when the exchange is over: answered in full, hung up, or closed by the client. */
  readonly closed: Promise<void>;
}

export interface FakeSendGrid {
  /** Base URL for the client, with a trailing slash: `http://127.0.0.1:PORT/`. */
  readonly url: string;
  readonly apiKey: string;
  /** Every request received, in order, answered or not. */
  readonly requests: ReceivedRequest[];
  /** Queues answers used, in order, before the fake goes back to its standing answer. */
  respondWith(responses: readonly CannedResponse[]): void;
  /** The standing answer once the queue is empty; undefined (the start) validates and answers 202. */
  respondAlwaysWith(response: CannedResponse | undefined): void;
  close(): Promise<void>;
}

/** NOTE: SendGrid's limit for a whole message. */
const MAX_BODY_BYTES = 30 * 1024 * 1024;
const UNAUTHORIZED = 'The provided authorization grant is invalid, expired, or revoked';
const TOO_LARGE = 'The JSON payload you have included in your request is too large.';
const STATUS_TEXT: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
};

/**
 * Starts a loopback server speaking SendGrid's `POST /v3/mail/send`: it checks the bearer key,
 * validates the body the way SendGrid does (see `validateMailSend`), answers 202 with an
 * X-Message-Id, and records every request.
 */
export async function startFakeSendGrid(options: { apiKey?: string } = {}): Promise<FakeSendGrid> {
  const apiKey = options.apiKey ?? 'SG.fake-test-key';
  const requests: ReceivedRequest[] = [];
  const queue: CannedResponse[] = [];
  let standing: CannedResponse | undefined;
  const timers = new Set<NodeJS.Timeout>();
  const schedule = (timer: NodeJS.Timeout): NodeJS.Timeout => (timers.add(timer), timer);

  const server = createServer((req, res) => {
    let hungUp = false;
    let closedByClient = false;
    const closed = new Promise<void>((resolve) =>
      res.on('close', () => {
        closedByClient = !res.writableFinished && !hungUp;
        resolve();
      }),
    );
    const answerRequest = ({ text, bytes }: { text: string; bytes: number }): void => {
      const record: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: parseJson(text),
        bytes,
        status: 0,
        closedByClient: false,
        closed: closed.then(() => void (record.closedByClient = closedByClient)),
      };
      requests.push(record);
      const canned = queue.shift() ?? standing;
      if (canned !== undefined && 'hangUp' in canned) {
        hungUp = true;
        req.socket.destroy();
        return;
      }
      const answer = (
        status: number,
        errors?: readonly SendGridErrorItem[],
        headers: Record<string, string> = {},
      ): void => {
        record.status = status;
        const body = errors === undefined ? '' : JSON.stringify({ errors });
        res.writeHead(status, STATUS_TEXT[status], {
          ...headers,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        });
        res.end(body);
      };
      if (canned !== undefined) {
        const headers: Record<string, string> = canned.status === 202 ? messageIdHeader() : {};
        if (canned.retryAfter !== undefined) headers['Retry-After'] = String(canned.retryAfter);
        if (canned.rateLimitReset !== undefined) {
          headers['X-RateLimit-Limit'] = '600';
          headers['X-RateLimit-Remaining'] = '0';
          headers['X-RateLimit-Reset'] = String(canned.rateLimitReset);
        }
        if (canned.trickle !== undefined) {
          trickle(res, canned.status, headers, canned.trickle, schedule);
          record.status = canned.status;
          return;
        }
        const errors = canned.errors ?? (canned.status >= 400 ? [defaultError(canned.status)] : undefined);
        const send = (): void => answer(canned.status, errors, headers);
        if (canned.delayMs === undefined) send();
        else {
          const timer = schedule(setTimeout(() => (timers.delete(timer), send()), canned.delayMs));
        }
        return;
      }
      if (req.method !== 'POST' || req.url !== '/v3/mail/send') {
        answer(404, [{ message: 'resource not found', field: null, help: null }]);
      } else if (req.headers.authorization !== `Bearer ${apiKey}`) {
        answer(401, [{ message: UNAUTHORIZED, field: null, help: null }]);
      } else if (bytes > MAX_BODY_BYTES) {
        answer(413, [{ message: TOO_LARGE, field: null, help: null }]);
      } else {
        const errors = validateMailSend(record.body);
        if (errors.length > 0) answer(400, errors);
        else answer(202, undefined, messageIdHeader());
      }
    };
    // A client that gives up mid-upload leaves nothing to answer.
    readBody(req).then(answerRequest, () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    apiKey,
    requests,
    respondWith: (responses) => void queue.push(...responses),
    respondAlwaysWith: (response) => void (standing = response),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function trickle(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  { bytes, intervalMs }: { bytes: number; intervalMs: number },
  schedule: (timer: NodeJS.Timeout) => NodeJS.Timeout,
): void {
  res.writeHead(status, STATUS_TEXT[status], { ...headers, 'Content-Length': String(bytes) });
  res.flushHeaders();
  let written = 0;
  const timer = schedule(
    setInterval(() => {
      res.write(' ');
      if (++written >= bytes) {
        clearInterval(timer);
        res.end();
      }
    }, intervalMs),
  );
  res.on('close', () => clearInterval(timer));
}

/** SendGrid's own wording for the problems `validateMailSend` finds. */
const MESSAGES = {
  from:
    'The from object must be provided for every email send. It is an object that requires the email parameter, ' +
    'but may also contain a name parameter.',
  noPersonalizations: 'The personalizations field is required and must have at least one personalization.',
  tooManyPersonalizations: 'The personalizations field can have at most 1000 personalizations.',
  to:
    'The to array is required for all personalization objects, and must have at least one email object with a ' +
    'valid email address.',
  duplicate: (email: string, field: string) =>
    'Each email address in the personalization block should be unique between to, cc, and bcc. ' +
    `We found the first duplicate instance of [${email}] in the ${field} field.`,
  tooManyRecipients: 'The total number of recipients must be no more than 1000.',
  subject:
    'The subject is required. You can get around this requirement if you use a template with a subject defined ' +
    'or if every single personalization has a subject defined.',
  content:
    'Unless a valid template_id is provided, the content parameter is required. There must be at least one ' +
    'defined content block. We typically suggest both text/plain and text/html blocks are included, but only ' +
    'one block is required.',
  customArgsType: 'Custom args values must be strings.',
  customArgsSize: 'The custom_args field must be less than 10,000 bytes.',
} as const;

/**
 * The checks SendGrid makes on a mail/send body that this app could fail, with SendGrid's messages:
 * from, subject, content, personalizations (1–1000), recipients (≤ 1000 in all, each address once),
 * custom_args (strings, < 10,000 bytes in all).
 *
 * @returns every problem found, empty when the body is valid
 */
export function validateMailSend(body: unknown): SendGridErrorItem[] {
  const errors: SendGridErrorItem[] = [];
  const problem = (field: string | null, message: string): void => void errors.push({ message, field, help: null });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    problem(null, 'Bad Request');
    return errors;
  }
  const mail = body as Record<string, unknown>;
  if (!isAddress(mail.from)) problem('from', MESSAGES.from);
  const personalizations = (Array.isArray(mail.personalizations) ? mail.personalizations : []) as unknown[];
  if (personalizations.length === 0) problem('personalizations', MESSAGES.noPersonalizations);
  else if (personalizations.length > 1000) problem('personalizations', MESSAGES.tooManyPersonalizations);

  const seen = new Set<string>();
  let recipients = 0;
  personalizations.forEach((p, i) => {
    const item = (p ?? {}) as Record<string, unknown>;
    if (!Array.isArray(item.to) || item.to.length === 0 || !item.to.every(isAddress)) {
      problem(`personalizations.${i}.to`, MESSAGES.to);
    }
    for (const kind of ['to', 'cc', 'bcc'] as const) {
      const list = (Array.isArray(item[kind]) ? item[kind] : []) as unknown[];
      list.forEach((address, j) => {
        recipients++;
        const email = isAddress(address) ? address.email.toLowerCase() : '';
        if (email !== '' && seen.has(email)) {
          problem(
            `personalizations.${i}.${kind}.${j}.email`,
            MESSAGES.duplicate(email, `personalizations.${i}.${kind}`),
          );
        }
        seen.add(email);
      });
    }
  });
  if (recipients > 1000) problem('personalizations', MESSAGES.tooManyRecipients);

  const hasSubject = (p: unknown): boolean => typeof (p as { subject?: unknown } | null)?.subject === 'string';
  const everySubject = personalizations.length > 0 && personalizations.every(hasSubject);
  if (!everySubject && (typeof mail.subject !== 'string' || mail.subject === '')) problem('subject', MESSAGES.subject);

  const content = (Array.isArray(mail.content) ? mail.content : []) as unknown[];
  const isBlock = (c: unknown): boolean => {
    const block = (c ?? {}) as { type?: unknown; value?: unknown };
    return typeof block.type === 'string' && typeof block.value === 'string' && block.value !== '';
  };
  if (content.length === 0 || !content.every(isBlock)) problem('content', MESSAGES.content);

  if (mail.custom_args !== undefined) {
    const args = mail.custom_args as Record<string, unknown>;
    if (Object.values(args).some((v) => typeof v !== 'string')) problem('custom_args', MESSAGES.customArgsType);
    if (Buffer.byteLength(JSON.stringify(args)) >= 10_000) problem('custom_args', MESSAGES.customArgsSize);
  }
  return errors;
}

/**
 * A SendGridMailer pointed at the fake, with a fake clock: `sleep` records each wait and advances the
 * clock instead of waiting, so retry tests run instantly.
 */
export function sendGridMailerFor(
  server: FakeSendGrid,
  options: Partial<SendGridMailerOptions> = {},
): { mailer: SendGridMailer; sleeps: number[]; now: () => number } {
  const sleeps: number[] = [];
  let clock = Date.UTC(2024, 2, 5, 13, 0, 0);
  const now = (): number => clock;
  const mailer = new SendGridMailer({
    apiKey: server.apiKey,
    baseUrl: server.url,
    now,
    random: () => 0.5,
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    ...options,
  });
  return { mailer, sleeps, now };
}

function isAddress(value: unknown): value is { email: string } {
  const email = (value as { email?: unknown } | null)?.email;
  return typeof email === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
}

function defaultError(status: number): SendGridErrorItem {
  const message = status === 429 ? 'too many requests' : status >= 500 ? 'internal server error' : 'Bad Request';
  return { message, field: null, help: null };
}

function messageIdHeader(): Record<string, string> {
  return { 'X-Message-Id': randomBytes(16).toString('base64url') };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<{ text: string; bytes: number }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes };
}
