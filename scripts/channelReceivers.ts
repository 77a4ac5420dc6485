import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { ChannelKind } from '../shared/core/channels/channelPayload';
import { checkSlack, checkTeams, checkWebhook } from './channelContracts';

/** One request a receiver got, whatever it answered. */
export interface ReceivedNotice {
  readonly kind: ChannelKind;
  readonly name: string;
  /** The request path without its query. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  readonly body: string;
  /** The parsed body; undefined when it was not JSON. */
  readonly json: unknown;
  /** What the receiver found wrong with it, as the service would refuse it; empty when valid. */
  readonly problems: readonly string[];
  /** The status answered; 0 when the receiver hung up. */
  status: number;
  /** Where the receiver wrote it (with `outDir`). */
  file?: string;
}

/** A scripted answer: a status with a body and Retry-After, or a connection dropped unanswered. */
export type CannedAnswer =
  | {
      readonly status: number;
      readonly body?: string;
      readonly retryAfter?: number | string;
      readonly delayMs?: number;
    }
  | { readonly hangUp: true };

export interface ChannelReceiver {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The URL a setting points at: `<url>/<kind>/<name>`, with a query like the services' (it is ignored). */
  urlFor(kind: ChannelKind, name: string): string;
  /** Every request received, in order. */
  readonly received: ReceivedNotice[];
  /** Answers used, in order, before the receiver goes back to validating. */
  respondWith(answers: readonly CannedAnswer[]): void;
  /** The standing answer once the queue is empty; undefined (the start) validates and answers. */
  respondAlwaysWith(answer: CannedAnswer | undefined): void;
  close(): Promise<void>;
}

export interface ChannelReceiverOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** WEBHOOK_SECRET_<NAME> by NAME: the generic webhook's requests are verified with them. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Writes each valid payload, pretty-printed, to `<outDir>/<kind>-<name>/<n>-<state>.json`. */
  readonly outDir?: string;
  /** The receiver's clock for the signature's timestamp check, epoch ms. */
  readonly now?: () => number;
  /** Told of each request: what came, whether it was valid, where it was written. */
  readonly log?: (line: string) => void;
}

const MAX_BODY_BYTES = 1024 * 1024;
/** `/<kind>/<NAME>`, then anything (a Slack URL's `/T…/B…/token` shape, say). */
const ROUTE = /^\/(teams|slack|webhook)\/([A-Za-z0-9_]{1,64})(?:\/[^?]*)?$/;
/** NOTE: each service's query: a Workflows URL's `sig=` and the like; ignored here, as secrets are. */
const QUERY = {
  teams: '?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=local',
  slack: '',
  webhook: '',
} as const;

/**
 * Starts a loopback server speaking the three channel contracts, on `/teams/NAME`, `/slack/NAME` and
 * `/webhook/NAME`:
 * - Teams (a Workflows trigger): a `message` envelope of Adaptive Card attachments, each card valid
 *   against the Adaptive Card 1.5 schema, at most 28 KB: 202 and an empty body. Stricter than the
 *   service, which answers 202 and fails in the flow run: an invalid card gets 400 here.
 * - Slack (an incoming webhook): `text` or `blocks` within Block Kit's limits, no unescaped `<` `>` in
 *   mrkdwn: 200 `ok`, else 400 `invalid_payload` / `invalid_blocks` / `no_text`, as Slack words them.
 * - Generic webhook: a signature and timestamp that check out with the name's secret (401 otherwise),
 *   schema version 1, at most 64 KiB: 200, or 200 with `duplicate` for an Idempotency-Key seen before.
 */
export async function startChannelReceiver(options: ChannelReceiverOptions = {}): Promise<ChannelReceiver> {
  const received: ReceivedNotice[] = [];
  const queue: CannedAnswer[] = [];
  let standing: CannedAnswer | undefined;
  const seenKeys = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const now = options.now ?? Date.now;

  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => answer(req, res, body),
      () => undefined,
    );
  });

  function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = ROUTE.exec(path);
    if (req.method !== 'POST' || route === null) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const kind = route[1] as ChannelKind;
    const name = route[2] ?? '';
    const json = parseJson(body);
    const checked =
      kind === 'teams'
        ? checkTeams(body, json)
        : kind === 'slack'
          ? checkSlack(json)
          : checkWebhook(req.headers, body, json, options.secrets?.[name], now(), seenKeys);
    const record: ReceivedNotice = {
      kind,
      name,
      path,
      headers: req.headers,
      body,
      json,
      problems: checked.problems,
      status: 0,
    };
    received.push(record);

    const canned = queue.shift() ?? standing;
    if (canned !== undefined && 'hangUp' in canned) {
      req.socket.destroy();
      return;
    }
    const reply = canned ?? checked.reply;
    const send = (): void => {
      record.status = reply.status;
      const headers: Record<string, string> = {
        'Content-Type': reply.body?.startsWith('{') ? 'application/json' : 'text/plain',
      };
      if (canned?.retryAfter !== undefined) headers['Retry-After'] = String(canned.retryAfter);
      res.writeHead(reply.status, headers).end(reply.body ?? '');
    };
    if (canned === undefined && checked.problems.length === 0 && options.outDir !== undefined) {
      record.file = writeReceived(options.outDir, record, received.length);
    }
    options.log?.(describe(record, checked.problems));
    if (canned?.delayMs === undefined) send();
    else {
      const timer = setTimeout(() => (timers.delete(timer), send()), canned.delayMs);
      timers.add(timer);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => (server.off('error', reject), resolve()));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    urlFor: (kind, name) => `${url}/${kind}/${name}${QUERY[kind]}`,
    received,
    respondWith: (answers) => void queue.push(...answers),
    respondAlwaysWith: (answer) => void (standing = answer),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function writeReceived(outDir: string, record: ReceivedNotice, n: number): string {
  const folder = join(outDir, `${record.kind}-${record.name}`);
  mkdirSync(folder, { recursive: true });
  const state = (record.json as { state?: unknown } | undefined)?.state;
  // A receiver started again (npm start restarted) numbers on after the files already there, so it never
  // overwrites an earlier payload and a reader looking for new files finds them.
  const taken = new Set(readdirSync(folder).map((f) => f.slice(0, 4)));
  let number = n;
  while (taken.has(String(number).padStart(4, '0'))) number++;
  const file = join(folder, `${String(number).padStart(4, '0')}${typeof state === 'string' ? `-${state}` : ''}.json`);
  writeFileSync(file, `${JSON.stringify(record.json, null, 2)}\n`, { flag: 'wx' });
  return file;
}

function describe(record: ReceivedNotice, problems: readonly string[]): string {
  const what = `${record.kind}:${record.name} received ${Buffer.byteLength(record.body)} bytes`;
  if (problems.length > 0) return `${what}, refused: ${problems.slice(0, 3).join('; ')}`;
  return `${what}, valid${record.file === undefined ? '' : ` → ${record.file}`}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
