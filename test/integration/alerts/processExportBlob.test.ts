import { Readable } from 'node:stream';

import { type FakeSendGrid, sendGridMailerFor, startFakeSendGrid } from '../../../scripts/fakeSendGrid';
import { TableAlertBook } from '../../../shared/adapters/storage/tableAlertBook';
import { type RuleStore, TableRuleStore } from '../../../shared/adapters/storage/tableRuleStore';
import { AlertDeliveryError } from '../../../shared/core/errors';
import { silentLogger } from '../../../shared/core/logger';
import { type BlobSummary, processExportBlob } from '../../../shared/core/processExportBlob';
import type { RuleEntity } from '../../../shared/core/rules/alertRule';
import { RuleCatalog } from '../../../shared/core/rules/ruleCatalog';
import { testTableClient } from '../../harness/storage';
import { requestBlobName, requestRow } from '../../helpers/exportRows';
import { MemoryRuleStore } from '../../helpers/memoryRuleStore';

interface MailBody {
  subject: string;
  personalizations: { to: { email: string }[] }[];
  content: { type: string; value: string }[];
  custom_args: Record<string, string>;
}

let sendGrid: FakeSendGrid;
beforeAll(async () => {
  sendGrid = await startFakeSendGrid();
});
afterAll(() => sendGrid.close());
beforeEach(() => sendGrid.requests.splice(0));

const MIN = 60_000;

async function world(
  rules: Partial<RuleEntity>[],
  store: RuleStore = new TableRuleStore(testTableClient('rules')),
  mailerOptions: Parameters<typeof sendGridMailerFor>[1] = {},
) {
  for (const [i, rule] of rules.entries()) {
    await store.put({
      partitionKey: 'shop-prod',
      rowKey: `rule${i}`,
      Recipients: 'ops@example.com',
      ...rule,
    });
  }
  let clock = Date.UTC(2024, 2, 5, 13, 6);
  const now = () => clock;
  const { mailer } = sendGridMailerFor(sendGrid, mailerOptions);
  const book = new TableAlertBook(testTableClient('state'));
  const catalog = new RuleCatalog(store, { ttlMs: 60_000, now, logger: silentLogger });
  const deps = {
    maxLineBytes: 1 << 20,
    logger: silentLogger,
    now,
    rulesFor: (ref: Parameters<RuleCatalog['rulesFor']>[0]) => catalog.rulesFor(ref),
    delivery: {
      book,
      mailer,
      now,
      pause: () => Promise.resolve(),
      logger: silentLogger,
      from: 'alerts@example.com',
      leaseMs: 5 * MIN,
      maxEmailsPerRule: 10,
    },
  };
  const process = (rows: string[], name = requestBlobName(), etag = '"0x1"') =>
    processExportBlob({ name, etag, content: Readable.from([rows.join('\n')]) }, deps) as Promise<
      Extract<BlobSummary, { status: 'processed' }>
    >;
  return { process, advance: (ms: number) => (clock += ms), book };
}

const bodies = () => sendGrid.requests.filter((r) => r.status === 202).map((r) => r.body as MailBody);
const html = (body: MailBody) => body.content.find((c) => c.type === 'text/html')?.value ?? '';

describe('processExportBlob with alerting', () => {
  it('sends one e-mail for a blob with matches, with the count, columns and escaped values', async () => {
    // Arrange
    const { process } = await world([
      { Query: 'requests | where toint(resultCode) >= 500', Subject: '{count} failures in {app}' },
    ]);
    const rows = [
      requestRow({ code: 200 }),
      requestRow({ code: 503, url: 'https://shop.example.com/<script>alert(1)</script>?a=1&b="2"' }),
      requestRow({ code: 500, name: 'POST /pay' }),
    ];

    // Act
    const summary = await process(rows);

    // Assert
    expect(summary).toMatchObject({ rows: 3, matches: { 'shop-prod/rule0': 2 }, emails: { sent: 1 } });
    const [mail] = bodies();
    expect(bodies()).toHaveLength(1);
    expect(mail?.subject).toBe('2 failures in shop-prod');
    expect(mail?.personalizations).toEqual([{ to: [{ email: 'ops@example.com' }] }]);
    expect(mail?.custom_args['ledgerKey']).toMatch(/^d~[A-Za-z0-9_-]{32}$/);
    expect(html(mail!)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html(mail!)).not.toContain('<script>');
    expect(html(mail!)).toContain('POST /pay');
    expect(html(mail!)).toContain('resultCode');
  });

  it('sends one e-mail when the same blob is delivered five times concurrently; the others succeed or fail until retried', async () => {
    // Arrange
    const { process } = await world([{ Query: 'requests | where toint(resultCode) >= 500' }]);
    const rows = [requestRow({ code: 500 })];

    // Act: an invocation that finds another's live claim fails, so the host retries it later.
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => process(rows)));
    const failed = outcomes.filter((o) => o.status === 'rejected');
    const retried = await Promise.all(failed.map(() => process(rows)));

    // Assert
    expect(bodies()).toHaveLength(1);
    for (const o of failed) expect(o.reason).toBeInstanceOf(AlertDeliveryError);
    const summaries = [...outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : [])), ...retried];
    expect(summaries.reduce((t, s) => t + s.emails.sent, 0)).toBe(1);
    expect(summaries.reduce((t, s) => t + s.emails.alreadySent, 0)).toBe(4);
  });

  it('sends again for the same blob name with new content (another etag)', async () => {
    const { process } = await world([{ Query: 'requests | where toint(resultCode) >= 500', ThrottleMinutes: 0 }]);
    await process([requestRow({ code: 500 })], requestBlobName(), '"0x1"');
    await process([requestRow({ code: 500 })], requestBlobName(), '"0x2"');
    expect(bodies()).toHaveLength(2);
  });

  it('retries a 429 and sends one e-mail', async () => {
    const { process } = await world([{ Query: 'requests | where toint(resultCode) >= 500' }]);
    sendGrid.respondWith([{ status: 429, retryAfter: 1 }]);
    const summary = await process([requestRow({ code: 500 })]);
    expect(summary.emails.sent).toBe(1);
    expect(sendGrid.requests.map((r) => r.status)).toEqual([429, 202]);
  });

  it("records a 400 as refused with SendGrid's message, logs it, and does not make the host retry the blob for it", async () => {
    // Arrange
    const { process, book } = await world([{ Query: 'requests | where toint(resultCode) >= 500' }]);
    sendGrid.respondWith([
      {
        status: 400,
        errors: [{ message: 'The from address does not match a verified Sender Identity.', field: 'from', help: null }],
      },
    ]);

    // Act
    const summary = await process([requestRow({ code: 500 })]);
    const retry = await process([requestRow({ code: 500 })]);

    // Assert
    expect(summary.emails).toMatchObject({ rejected: 1, failed: 0 });
    expect(retry.emails).toMatchObject({ rejected: 1, sent: 0 });
    expect(sendGrid.requests.map((r) => r.status)).toEqual([400]);
    const open: unknown[] = [];
    for await (const record of book.listOpen()) open.push(record);
    expect(open).toEqual([]);
  });

  it("fails the invocation while SendGrid answers 503, and sends on the host's retry", async () => {
    // Arrange
    const { process } = await world([{ Query: 'requests | where toint(resultCode) >= 500' }], undefined, {
      retryBudgetMs: 3_000,
    });
    sendGrid.respondAlwaysWith({ status: 503 });

    // Act
    const failure = await process([requestRow({ code: 500 })]).catch((e: unknown) => e);
    sendGrid.respondAlwaysWith(undefined);
    const retry = await process([requestRow({ code: 500 })]);

    // Assert
    expect(failure).toBeInstanceOf(AlertDeliveryError);
    expect((failure as AlertDeliveryError).summary).toMatchObject({ emails: { failed: 1 } });
    expect(retry.emails.sent).toBe(1);
    expect(sendGrid.requests.filter((r) => r.status === 202)).toHaveLength(1);
  });

  it('fires once when a threshold is reached across three blobs', async () => {
    const { process } = await world([
      { Query: 'requests | where toint(resultCode) >= 500', Threshold: 5, WindowMinutes: 10 },
    ]);
    const s1 = await process(
      [requestRow({ code: 500, at: '2024-03-05T13:00:00Z' }), requestRow({ code: 500, at: '2024-03-05T13:01:00Z' })],
      requestBlobName('shop-prod', '13', '1.blob'),
    );
    const s2 = await process(
      [requestRow({ code: 502, at: '2024-03-05T13:03:00Z' }), requestRow({ code: 200 })],
      requestBlobName('shop-prod', '13', '2.blob'),
    );
    const s3 = await process(
      [requestRow({ code: 503, at: '2024-03-05T13:05:00Z' }), requestRow({ code: 504, at: '2024-03-05T13:06:00Z' })],
      requestBlobName('shop-prod', '13', '3.blob'),
    );
    expect([s1.emails.belowThreshold, s2.emails.belowThreshold, s3.emails.sent]).toEqual([1, 1, 1]);
    expect(bodies()).toHaveLength(1);
    expect(bodies()[0]?.content[0]?.value).toContain('5 requests matched in 10 minutes (threshold 5).');
  });

  it('counts sampled telemetry by itemCount towards a threshold', async () => {
    const { process } = await world([{ Query: 'requests | where toint(resultCode) >= 500', Threshold: 50 }]);
    const summary = await process([requestRow({ code: 500, count: 25 }), requestRow({ code: 500, count: 25 })]);
    expect(summary.emails.sent).toBe(1);
    expect(bodies()[0]?.content[0]?.value).toContain('2 records, sum(itemCount) 50');
  });

  it('throttles, then reports the suppressed count in the next e-mail', async () => {
    const { process, advance } = await world([
      { Query: 'requests | where toint(resultCode) >= 500', ThrottleMinutes: 15 },
    ]);
    await process([requestRow({ code: 500 })], requestBlobName('shop-prod', '13', '1.blob'));
    advance(5 * MIN);
    const throttled = await process(
      [requestRow({ code: 500 }), requestRow({ code: 500 }), requestRow({ code: 500 })],
      requestBlobName('shop-prod', '13', '2.blob'),
    );
    advance(11 * MIN);
    await process([requestRow({ code: 500 })], requestBlobName('shop-prod', '13', '3.blob'));
    expect(throttled.emails).toMatchObject({ sent: 0, suppressed: 1 });
    expect(bodies()).toHaveLength(2);
    expect(bodies()[1]?.content[0]?.value).toContain(
      '3 more matches came in while the alert was throttled, since 13:11 UTC; no e-mail was sent for them.',
    );
  });

  it('sends one e-mail per GroupBy value', async () => {
    const { process } = await world([
      { Query: 'requests | where toint(resultCode) >= 500', GroupBy: 'customDimensions.tenant' },
    ]);
    const summary = await process([
      requestRow({ code: 500, tenant: 'acme' }),
      requestRow({ code: 500, tenant: 'acme' }),
      requestRow({ code: 500, tenant: 'globex' }),
      requestRow({ code: 500 }),
    ]);
    expect(summary.emails.sent).toBe(3);
    const subjects = bodies().map((b) => b.subject);
    expect(subjects).toHaveLength(3);
    expect(subjects).toEqual(
      expect.arrayContaining([
        expect.stringContaining('2 requests in shop-prod [customDimensions.tenant=acme]'),
        expect.stringContaining('1 request in shop-prod [customDimensions.tenant=globex]'),
        expect.stringContaining('[customDimensions.tenant=(none)]'),
      ]),
    );
  });

  it('splits 2,500 recipients into three requests', async () => {
    // NOTE: 2,500 addresses exceed Table Storage's 32K-character string property; the rule comes from
    // memory here, the split is what is under test.
    const recipients = Array.from({ length: 2500 }, (_, i) => `user${i}@example.com`).join(';');
    const { process } = await world(
      [{ Query: 'requests | where toint(resultCode) >= 500', Recipients: recipients }],
      new MemoryRuleStore(),
    );
    await process([requestRow({ code: 500 })]);
    expect(bodies().map((b) => b.personalizations.length)).toEqual([1000, 1000, 500]);
  });

  it('sends nothing for a rule scoped to another app', async () => {
    const { process } = await world([{ Query: 'requests | where toint(resultCode) >= 500' }]);
    const summary = await process([requestRow({ code: 500 })], requestBlobName('other-app'));
    expect(summary.matches).toEqual({});
    expect(bodies()).toHaveLength(0);
  });

  it('still alerts on the other rows of a blob with a bad row', async () => {
    const { process } = await world([{ Query: 'requests | where toint(resultCode) >= 500' }]);
    const summary = await process([requestRow({ code: 500 }), '{"request": [', requestRow({ code: 501 })]);
    expect(summary).toMatchObject({
      rows: 2,
      badRows: 1,
      problems: [expect.objectContaining({ line: 2 })],
      emails: { sent: 1 },
    });
    expect(bodies()[0]?.content[0]?.value).toContain('2 records');
  });
});
