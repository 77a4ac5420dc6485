import { createHmac } from 'node:crypto';

import type { ChannelNotice } from '../../../shared/core/channels/channelNotice';
import {
  idempotencyKey,
  WEBHOOK_MAX_BYTES,
  WEBHOOK_MAX_EVENTS,
  webhookRequest,
} from '../../../shared/core/channels/webhookPayload';
import {
  checkWebhookSignature,
  SIGNATURE_TOLERANCE_SECONDS,
  webhookSignature,
} from '../../../shared/core/channels/webhookSignature';
import { channelRule, HOSTILE, LOGS_URL, notice, request } from './channelHelpers';

const SECRET = 'test-webhook-secret-0123456789';

describe('webhookRequest', () => {
  it('writes the documented schema version 1 body and its key headers for a sample alert', () => {
    // Act
    const payload = webhookRequest(notice({ group: { label: 'tenant=acme', values: { tenant: 'acme' } } }));

    // Assert
    const key = idempotencyKey(notice());
    expect(payload.headers).toEqual({ 'X-Alert-Ledger-Key': 'd~ledger-1', 'Idempotency-Key': key });
    expect(JSON.parse(payload.body)).toEqual({
      schemaVersion: 1,
      state: 'FIRING',
      test: false,
      idempotencyKey: key,
      ledgerKey: 'd~ledger-1',
      summary: '12 requests matched in 5 minutes (threshold 10) for tenant = acme.',
      rule: {
        scope: 'shop-prod',
        id: 'checkout-5xx',
        severity: 1,
        query: 'requests | where toint(resultCode) >= 500',
        table: 'requests',
      },
      app: { name: 'shop-prod', folder: 'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0' },
      blob: 'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/abc.blob',
      group: { label: 'tenant=acme', values: { tenant: 'acme' } },
      counts: { matched: 12, matchedWeighted: 12, suppressed: 0, eventsShown: 2 },
      window: { minutes: 5, weighted: 12, threshold: 10 },
      firstEventAt: '2024-03-05T13:05:01.123Z',
      lastEventAt: '2024-03-05T13:06:01.123Z',
      events: {
        columns: ['timestamp', 'name', 'resultCode', 'duration', 'url', 'operation_Id', 'cloud_RoleName'],
        rows: [0, 1].map((minute) => [
          `2024-03-05T13:0${5 + minute}:01.123Z`,
          'POST /checkout',
          '503',
          '1234.5 ms',
          'https://shop.example.com/checkout',
          `op${minute}`,
          'web',
        ]),
      },
      links: [{ title: 'Open in Log Analytics', url: LOGS_URL }],
    });
    expect(payload.bytes).toBe(Buffer.byteLength(payload.body, 'utf8'));
  });

  it('writes null for an unknown event time range and no group', () => {
    const body = JSON.parse(webhookRequest(notice({ firstEventAt: new Date(NaN), lastEventAt: new Date(NaN) })).body);
    expect(body).toMatchObject({ firstEventAt: null, lastEventAt: null, group: null });
  });

  it('keeps its idempotency key through rebuilds and changes it for the resolved notice and a test', () => {
    const firing = idempotencyKey(notice());
    expect(idempotencyKey(notice())).toBe(firing);
    expect(idempotencyKey(notice({}, 'RESOLVED'))).not.toBe(firing);
    expect(idempotencyKey(notice({}, 'FIRING', true))).not.toBe(firing);
    expect(idempotencyKey(notice({ ledgerKey: 'd~other' }))).not.toBe(firing);
  });

  it(`lists at most ${WEBHOOK_MAX_EVENTS} events and drops more until the body fits ${WEBHOOK_MAX_BYTES} bytes`, () => {
    // Arrange: 50 events of 7 values of 200 4-byte characters: about 140 KB
    const wide = '😀'.repeat(200);
    const events = Array.from({ length: 60 }, () =>
      request(0, { name: wide, url: wide, operation_Id: wide, cloud_RoleName: wide, resultCode: wide }),
    );
    const subject = notice({ events, rule: channelRule({ maxEvents: 500 }) });

    // Act
    const payload = webhookRequest(subject);

    // Assert
    expect(payload.bytes).toBeLessThanOrEqual(WEBHOOK_MAX_BYTES);
    expect(payload.eventsShown).toBeGreaterThan(0);
    expect(payload.eventsShown).toBeLessThan(WEBHOOK_MAX_EVENTS);
    const body = JSON.parse(payload.body) as { counts: { eventsShown: number }; events: { rows: unknown[] } };
    expect(body.events.rows).toHaveLength(payload.eventsShown);
    expect(body.counts.eventsShown).toBe(payload.eventsShown);
  });

  it('carries hostile text as JSON strings, control characters replaced, and no link from telemetry', () => {
    // Arrange
    const subject: ChannelNotice = notice({
      events: [request(0, { name: HOSTILE.control, url: 'https://evil.example/' })],
    });

    // Act
    const body = JSON.parse(webhookRequest(subject).body) as { events: { rows: string[][] }; links: { url: string }[] };

    // Assert
    expect(body.events.rows[0]?.[1]).toBe('line1 line2 [31m exe.txt');
    expect(body.links.every((l) => l.url.startsWith('https://portal.azure.com/'))).toBe(true);
  });
});

describe('webhookSignature', () => {
  it('is the hex HMAC-SHA256 of "<timestamp>.<body>" over the exact UTF-8 bytes', () => {
    // Arrange: non-ASCII, so a signature over UTF-16 or re-serialized JSON would differ
    const body = '{"summary":"ünïcödé 😀","n":1}';

    // Act
    const signature = webhookSignature(body, 1_709_643_901, SECRET);

    // Assert
    const expected = createHmac('sha256', SECRET)
      .update(Buffer.concat([Buffer.from('1709643901.', 'ascii'), Buffer.from(body, 'utf8')]))
      .digest('hex');
    expect(signature).toBe(`sha256=${expected}`);
  });

  it('changes with the timestamp, the body and the secret', () => {
    const base = webhookSignature('{}', 100, SECRET);
    expect(webhookSignature('{}', 101, SECRET)).not.toBe(base);
    expect(webhookSignature('{ }', 100, SECRET)).not.toBe(base);
    expect(webhookSignature('{}', 100, `${SECRET}x`)).not.toBe(base);
  });

  it.each([
    ['ok', { timestamp: '1000', signature: webhookSignature('{"a":1}', 1000, SECRET) }, '{"a":1}', 1000, 'ok'],
    [
      'ok, at the tolerance',
      { timestamp: '1000', signature: webhookSignature('{"a":1}', 1000, SECRET) },
      '{"a":1}',
      1000 + SIGNATURE_TOLERANCE_SECONDS,
      'ok',
    ],
    [
      'stale, a second past it',
      { timestamp: '1000', signature: webhookSignature('{"a":1}', 1000, SECRET) },
      '{"a":1}',
      1001 + SIGNATURE_TOLERANCE_SECONDS,
      'stale',
    ],
    [
      'from the future',
      { timestamp: '2000', signature: webhookSignature('{"a":1}', 2000, SECRET) },
      '{"a":1}',
      1000,
      'stale',
    ],
    [
      'replayed with a new timestamp',
      { timestamp: '1100', signature: webhookSignature('{"a":1}', 1000, SECRET) },
      '{"a":1}',
      1100,
      'mismatch',
    ],
    [
      'a body changed by one byte',
      { timestamp: '1000', signature: webhookSignature('{"a":1}', 1000, SECRET) },
      '{"a":2}',
      1000,
      'mismatch',
    ],
    [
      'a body re-serialized',
      { timestamp: '1000', signature: webhookSignature('{"a":1}', 1000, SECRET) },
      '{"a": 1}',
      1000,
      'mismatch',
    ],
    ['without a signature', { timestamp: '1000', signature: undefined }, '{}', 1000, 'missing'],
    ['with a signature of another form', { timestamp: '1000', signature: 'sha1=abc' }, '{}', 1000, 'malformed'],
    [
      'with a timestamp that is no number',
      { timestamp: '1e3', signature: webhookSignature('{}', 1000, SECRET) },
      '{}',
      1000,
      'malformed',
    ],
  ])('checks a request: %s', (_, headers, body, nowSeconds, expected) => {
    expect(checkWebhookSignature(body, headers, SECRET, nowSeconds)).toBe(expected);
  });
});
