import { digestKey } from '../digestKey';
import type { ChannelNotice } from './channelNotice';
import { type ChannelPayload, fitEvents, utf8Bytes } from './channelPayload';
import { isSafeLinkTarget } from './noticeLinks';
import { isoOrNull } from './noticeText';

/** Version of the generic webhook body (docs/CHANNELS.md); a change that removes or retypes a field bumps it. */
export const WEBHOOK_SCHEMA_VERSION = 1;
/** Most events one webhook body lists. */
export const WEBHOOK_MAX_EVENTS = 50;
/** Largest body sent: receivers commonly cap request bodies, and a notice is a pointer, not an export. */
export const WEBHOOK_MAX_BYTES = 64 * 1024;
/** Headers the webhook sender adds to each request; receivers deduplicate on the idempotency key. */
export const WEBHOOK_HEADERS = {
  ledgerKey: 'X-Alert-Ledger-Key',
  idempotencyKey: 'Idempotency-Key',
  timestamp: 'X-Alert-Timestamp',
  signature: 'X-Alert-Signature',
} as const;

/** The JSON body of schema version 1, as docs/CHANNELS.md documents it field by field. */
export interface WebhookBody {
  readonly schemaVersion: typeof WEBHOOK_SCHEMA_VERSION;
  readonly state: ChannelNotice['state'];
  readonly test: boolean;
  readonly idempotencyKey: string;
  readonly ledgerKey: string;
  readonly summary: string;
  readonly rule: ChannelNotice['rule'];
  readonly app: { readonly name: string; readonly folder: string };
  readonly blob: string;
  readonly group: { readonly label: string; readonly values: Readonly<Record<string, string>> } | null;
  readonly counts: {
    readonly matched: number;
    readonly matchedWeighted: number;
    readonly suppressed: number;
    readonly eventsShown: number;
  };
  readonly window: { readonly minutes: number; readonly weighted: number; readonly threshold: number } | null;
  readonly firstEventAt: string | null;
  readonly lastEventAt: string | null;
  readonly events: { readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] };
  readonly links: readonly { readonly title: string; readonly url: string }[];
}

/**
 * The generic webhook request of a notice: a versioned JSON body and its key headers. Signing
 * happens per attempt in the sender (`webhookSignature`), over exactly these bytes.
 */
export function webhookRequest(notice: ChannelNotice): ChannelPayload {
  const most = Math.min(WEBHOOK_MAX_EVENTS, notice.events.rows.length);
  const { payload, events } = fitEvents(
    most,
    (shown) => JSON.stringify(webhookBody(notice, shown)),
    (body) => utf8Bytes(body) <= WEBHOOK_MAX_BYTES,
  );
  return {
    kind: 'webhook',
    body: payload,
    headers: {
      [WEBHOOK_HEADERS.ledgerKey]: notice.ledgerKey,
      [WEBHOOK_HEADERS.idempotencyKey]: idempotencyKey(notice),
    },
    eventsShown: events,
    bytes: utf8Bytes(payload),
  };
}

/** The body listing the first `shown` events. */
export function webhookBody(notice: ChannelNotice, shown: number): WebhookBody {
  return {
    schemaVersion: WEBHOOK_SCHEMA_VERSION,
    state: notice.state,
    test: notice.test,
    idempotencyKey: idempotencyKey(notice),
    ledgerKey: notice.ledgerKey,
    summary: notice.summary,
    rule: notice.rule,
    app: { name: notice.app, folder: notice.folder },
    blob: notice.blobName,
    group: notice.group ?? null,
    counts: {
      matched: notice.matched.rows,
      matchedWeighted: notice.matched.weighted,
      suppressed: notice.suppressed?.rows ?? 0,
      eventsShown: shown,
    },
    window: notice.window ?? null,
    firstEventAt: isoOrNull(notice.firstEventAt),
    lastEventAt: isoOrNull(notice.lastEventAt),
    events: { columns: notice.events.headings, rows: notice.events.rows.slice(0, shown) },
    links: notice.links.filter((link) => isSafeLinkTarget(link.url)),
  };
}

/**
 * Stable across retries and re-drives of the same notice, different for its firing and its resolved
 * notice and for a test: what a receiver deduplicates on.
 */
export function idempotencyKey(notice: ChannelNotice): string {
  return digestKey(`${notice.ledgerKey}\n${notice.state}\n${notice.test ? 'test' : 'live'}`, 32);
}
