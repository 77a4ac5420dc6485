import { TABLE_COLUMNS } from '../../../shared/core/export/tableSchemas';
import { TABLE_NAMES } from '../../../shared/core/export/telemetryTypes';
import { composeAlertEmail, MAX_TABLE_CHARS } from '../../../shared/core/mail/composeAlertEmail';
import { composeSummaryEmail } from '../../../shared/core/mail/composeSummaryEmail';
import { CUT_MARKER, MAX_VALUE_CHARS } from '../../../shared/core/mail/displayValue';
import { DEFAULT_EVENT_COLUMNS, MAX_EVENT_COLUMNS } from '../../../shared/core/mail/eventColumns';
import { alertDigest, alertRule, columnsOf, event, failedRequest } from './mailHelpers';

const FROM = 'alerts@example.com';
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The field names of the first event the HTML lists, in order. */
function fieldNames(html: string): string[] {
  const card = html.slice(html.indexOf('Event 1 of'));
  const first = card.slice(0, card.indexOf('</table>'));
  return [...first.matchAll(/<td valign="top" width="34%"[^>]*>([^<]*)<\/td>/g)].map((m) => m[1] ?? '');
}

describe('composeAlertEmail subject', () => {
  it('defaults to severity, rule, count, table, app and UTC time range', () => {
    // Act
    const email = composeAlertEmail(alertDigest(), FROM);

    // Assert
    expect(email.subject).toBe('[Sev1] checkout-5xx: 2 requests in shop-prod (13:05–13:06 UTC)');
  });

  it('names the group in the default subject', () => {
    const digest = alertDigest({ group: { label: 'tenant=acme', values: { tenant: 'acme' } } });

    expect(composeAlertEmail(digest, FROM).subject).toBe(
      '[Sev1] checkout-5xx: 2 requests in shop-prod [tenant=acme] (13:05–13:06 UTC)',
    );
  });

  it('adds dates to the default subject when the events cross midnight', () => {
    const digest = alertDigest({
      firstEventAt: new Date('2024-03-05T23:59:10Z'),
      lastEventAt: new Date('2024-03-06T00:01:00Z'),
    });

    expect(composeAlertEmail(digest, FROM).subject).toBe(
      '[Sev1] checkout-5xx: 2 requests in shop-prod (2024-03-05 23:59 – 2024-03-06 00:01 UTC)',
    );
  });

  it('counts one match in the singular', () => {
    const digest = alertDigest({ events: [failedRequest(0)], lastEventAt: new Date('2024-03-05T13:05:01.123Z') });

    expect(composeAlertEmail(digest, FROM).subject).toBe(
      '[Sev1] checkout-5xx: 1 request in shop-prod (13:05–13:05 UTC)',
    );
  });

  it.each([
    ['UTC', '(13:05–13:06 UTC)'],
    ['Europe/Berlin', '(14:05–14:06 CET)'],
    ['America/New_York', '(08:05–08:06 EST)'],
    ['Asia/Kolkata', '(18:35–18:36 UTC+5:30)'],
  ])('writes the default subject’s times in the zone %s', (timeZone, range) => {
    expect(composeAlertEmail(alertDigest({ timeZone }), FROM).subject).toBe(
      `[Sev1] checkout-5xx: 2 requests in shop-prod ${range}`,
    );
  });

  it.each([
    ['{severity} {rule} in {app}: {count} {table}', 'Sev1 checkout-5xx in shop-prod: 12 requests'],
    ['{count} rows = {weighted} items', '12 rows = 48 items'],
    ['{scope}/{rule} {from}-{to} UTC', 'shop-prod/checkout-5xx 13:05-13:06 UTC'],
    ['[{group}] failing', '[tenant=acme] failing'],
    ['{unknown} stays as written', '{unknown} stays as written'],
  ])('fills the template %j', (template, expected) => {
    const digest = alertDigest({
      rule: alertRule({ subject: template }),
      matched: { rows: 12, weighted: 48 },
      group: { label: 'tenant=acme', values: { tenant: 'acme' } },
    });

    expect(composeAlertEmail(digest, FROM).subject).toBe(expected);
  });

  it.each([
    [
      'the template',
      { rule: alertRule({ subject: 'Down\r\nBcc: victim@example.com' }) },
      'Down Bcc: victim@example.com',
    ],
    [
      'a telemetry group value',
      { group: { label: 'tenant=acme\r\nBcc: victim@example.com', values: {} } },
      'tenant=acme Bcc: victim@example.com',
    ],
    ['the app name', { appName: 'shop\n\u0000prod\u2028x' }, 'in shop prod x'],
  ])('keeps CR/LF and control characters from %s out of the subject', (_, overrides, kept) => {
    const email = composeAlertEmail(alertDigest(overrides), FROM);

    expect(email.subject).not.toMatch(CONTROL);
    expect(email.subject).toContain(kept);
  });

  it('caps the subject at 200 characters', () => {
    const digest = alertDigest({ rule: alertRule({ subject: `${'x'.repeat(500)} {rule}` }) });

    const { subject } = composeAlertEmail(digest, FROM);

    expect(subject).toHaveLength(200);
    expect(subject.endsWith('…')).toBe(true);
  });
});

describe('composeAlertEmail addressing', () => {
  it('sends from the given address to the rule recipients with ledger key, rule and app as custom args', () => {
    const digest = alertDigest({
      rule: alertRule({ recipients: ['a@example.com', 'b@example.com'] }),
      ledgerKey: 'blob|etag|rule',
    });

    const email = composeAlertEmail(digest, FROM);

    expect(email.from).toBe(FROM);
    expect(email.to).toEqual(['a@example.com', 'b@example.com']);
    expect(email.customArgs).toEqual({ ledgerKey: 'blob|etag|rule', rule: 'shop-prod/checkout-5xx', app: 'shop-prod' });
    expect(email.headers).toEqual({ 'X-Alert-Ledger-Key': 'blob|etag|rule' });
  });

  it('keeps custom args under SendGrid 10,000-byte limit and headers free of line breaks', () => {
    const digest = alertDigest({ ledgerKey: `k\r\nX-Evil: 1${'€'.repeat(20_000)}`, appName: '€'.repeat(20_000) });

    const email = composeAlertEmail(digest, FROM);

    expect(Buffer.byteLength(JSON.stringify(email.customArgs))).toBeLessThan(10_000);
    expect(email.headers['X-Alert-Ledger-Key']).not.toMatch(CONTROL);
  });

  it('keeps the ledger key in its header, out of both bodies', () => {
    const email = composeAlertEmail(alertDigest({ ledgerKey: 'd~LedgerKey42' }), FROM);

    expect(email.headers).toEqual({ 'X-Alert-Ledger-Key': 'd~LedgerKey42' });
    expect(email.text).not.toContain('LedgerKey42');
    expect(email.html).not.toContain('LedgerKey42');
  });

  it('is pure: the same digest gives the same e-mail', () => {
    const digest = alertDigest();

    expect(composeAlertEmail(digest, FROM)).toEqual(composeAlertEmail(digest, FROM));
  });
});

describe('composeAlertEmail body', () => {
  it('states rule, query, app, blob, time range and counts in both parts', () => {
    const email = composeAlertEmail(alertDigest(), FROM);

    for (const body of [email.text, email.html]) {
      expect(body).toContain('shop-prod/checkout-5xx');
      expect(body).toContain('requests | where toint(resultCode)');
      expect(body).toContain('shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0');
      expect(body).toContain('Requests/2024-03-05/13/abc.blob');
      expect(body).toContain('2024-03-05 13:05–13:06 UTC');
      expect(body).toContain('2 records');
    }
    expect(email.text).toContain('Shown:          2, earliest first');
  });

  it('opens with the state and severity, the rule and where, then why it fired', () => {
    const email = composeAlertEmail(alertDigest(), FROM);

    expect(email.text.split('\n').slice(0, 6)).toEqual([
      'FIRING · Sev1 Error',
      'checkout-5xx',
      'shop-prod · requests',
      '='.repeat(60),
      '',
      '2 requests matched in one delivery (threshold 1).',
    ]);
  });

  it('says why a windowed rule fired, for which group', () => {
    const digest = alertDigest({
      rule: alertRule({ windowMinutes: 10, threshold: 5 }),
      window: { minutes: 10, weighted: 12, threshold: 5 },
      group: { label: 'cloud_RoleName=Contoso.Api', values: { cloud_RoleName: 'Contoso.Api' } },
    });

    const { text, html } = composeAlertEmail(digest, FROM);

    const why = '12 requests matched in 10 minutes (threshold 5) for cloud_RoleName = Contoso.Api.';
    expect(text).toContain(`\n${why}\n`);
    expect(html).toContain(why);
    expect(text).toContain('Threshold:      5 within 10 minutes of event time\n');
  });

  it('writes times in the e-mail’s zone, with the zone named', () => {
    const { text } = composeAlertEmail(alertDigest({ timeZone: 'Europe/Berlin' }), FROM);

    expect(text).toContain('Events between: 2024-03-05 14:05–14:06 CET\n');
    expect(text).toContain('Event 1 of 2 · 14:05:01 CET\n');
    expect(text).toContain('Times in Europe/Berlin;');
  });

  it('shows sum(itemCount) only when sampling makes it differ from the record count', () => {
    const unsampled = composeAlertEmail(alertDigest(), FROM);
    const sampled = composeAlertEmail(alertDigest({ matched: { rows: 2, weighted: 8 } }), FROM);

    expect(unsampled.text).not.toContain('sum(itemCount)');
    expect(sampled.text).toContain('Matched:        2 records, sum(itemCount) 8 (sampled telemetry)');
    expect(sampled.html).toContain('2 records, sum(itemCount) 8 (sampled telemetry)');
  });

  it('says how many matches were held back while throttled or muted, and since when', () => {
    const suppressed = { rows: 5, weighted: 20, since: new Date('2024-03-05T12:50:00Z') };
    const muted = { rows: 1, weighted: 1, since: new Date('2024-03-05T12:55:00Z') };

    const email = composeAlertEmail(alertDigest({ suppressed, muted }), FROM);

    expect(email.text).toContain(
      '2 requests matched in one delivery (threshold 1).\n' +
        '5 more matches (sum of itemCount 20) came in while the alert was throttled, since 12:50 UTC; no e-mail was sent for them.\n' +
        '1 more match came in while the rule was muted, since 12:55 UTC; no e-mail was sent for them.\n',
    );
    expect(composeAlertEmail(alertDigest(), FROM).text).not.toContain('came in while');
  });

  it('names the group in the details and the why', () => {
    const digest = alertDigest({
      group: { label: 'tenant=acme, region=eu', values: { tenant: 'acme', region: 'eu' } },
    });

    const { text } = composeAlertEmail(digest, FROM);

    expect(text).toContain('Group:          tenant=acme, region=eu\n');
    expect(text).toContain('2 requests matched in one delivery (threshold 1) for tenant = acme, region = eu.');
  });

  it('escapes every telemetry value in the HTML and never makes one a link', () => {
    const hostile = failedRequest(0, {
      name: '<script>alert(1)</script>',
      url: `javascript:alert("x")&y='z'`,
      cloud_RoleName: '<img src=x onerror=alert(1)>',
      operation_Id: '`backtick`',
    });
    const digest = alertDigest({ events: [hostile], group: { label: '<b>acme</b>', values: { '<k>': '"v"' } } });

    const { html, text } = composeAlertEmail(digest, FROM);

    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('javascript:alert(&quot;x&quot;)&amp;y=&#39;z&#39;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&#96;backtick&#96;');
    expect(html).toContain('&lt;b&gt;acme&lt;/b&gt;');
    expect(html).toContain('&lt;k&gt; = &quot;v&quot;');
    expect(html).not.toMatch(/<script|<img|<b>acme|<a[\s>]|href=/i);
    expect(text).toContain(`javascript:alert("x")&y='z'`);
  });

  it('keeps a value with line breaks on its line in the text part', () => {
    const digest = alertDigest({ events: [failedRequest(0, { name: 'GET /\r\nMatched:        0 records' })] });

    const { text } = composeAlertEmail(digest, FROM);

    expect(text).toContain('  name            GET / Matched:        0 records');
    expect(text.match(/^Matched:/gm)).toHaveLength(1);
  });

  it(`cuts long values at ${MAX_VALUE_CHARS} characters with a marker`, () => {
    const url = `https://shop.example.com/${'a'.repeat(5_000)}`;

    const { text, html } = composeAlertEmail(alertDigest({ events: [failedRequest(0, { url })] }), FROM);

    const cut = `${url.slice(0, MAX_VALUE_CHARS)}${CUT_MARKER}`;
    expect(text).toContain(`  url             ${cut}\n`);
    expect(html).toContain(`>${cut}</td>`);
  });

  it('shows dates as ISO UTC and durations in ms', () => {
    const { text } = composeAlertEmail(alertDigest({ events: [failedRequest(0, { duration: 12.34567 })] }), FROM);

    expect(text).toContain('  timestamp       2024-03-05T13:05:01.123Z\n');
    expect(text).toContain('  duration        12.346 ms\n');
  });

  it('shows the rule Columns, dynamic keys included, instead of the defaults', () => {
    const rule = alertRule({ columns: columnsOf('requests', 'resultCode', 'customDimensions.tenant', 'duration') });
    const digest = alertDigest({ rule, events: [failedRequest(0, { customDimensions: { tenant: 'acme' } })] });

    const { text, html } = composeAlertEmail(digest, FROM);

    expect(text).toContain(
      '  resultCode               503\n  customDimensions.tenant  acme\n  duration                 1234.5 ms\n',
    );
    expect(fieldNames(html)).toEqual(['resultCode', 'customDimensions.tenant', 'duration']);
  });

  it(`shows at most ${MAX_EVENT_COLUMNS} columns and says how many it left out`, () => {
    const names = Object.keys(TABLE_COLUMNS.requests).slice(0, MAX_EVENT_COLUMNS + 3);
    const rule = alertRule({ columns: columnsOf('requests', ...names) });

    const { html, text } = composeAlertEmail(alertDigest({ rule }), FROM);

    expect(fieldNames(html)).toHaveLength(MAX_EVENT_COLUMNS);
    expect(text).toContain("3 more columns of the rule's Columns not shown.");
  });

  it('shows at most MaxEvents events and says how many more matched', () => {
    const events = Array.from({ length: 30 }, (_, i) => failedRequest(i));
    const digest = alertDigest({ rule: alertRule({ maxEvents: 5 }), events, matched: { rows: 30, weighted: 30 } });

    const { text } = composeAlertEmail(digest, FROM);

    expect(text).toContain('Event 5 of 5');
    expect(text).not.toContain('Event 6');
    expect(text).toContain('25 more matching records not shown: the rule shows at most 5 (MaxEvents).');
  });

  it('stays a few MB whatever the rows hold', () => {
    // Arrange: 500 events × 20 columns of 100k characters that escaping and UTF-8 inflate most
    const names = Object.keys(TABLE_COLUMNS.requests).slice(0, MAX_EVENT_COLUMNS);
    const huge = `"<&'€`.repeat(20_000);
    const events = Array.from({ length: 500 }, () => event(Object.fromEntries(names.map((n) => [n, huge]))));
    const rule = alertRule({ maxEvents: 500, columns: columnsOf('requests', ...names) });

    // Act
    const { text, html } = composeAlertEmail(
      alertDigest({ rule, events, matched: { rows: 500, weighted: 500 } }),
      FROM,
    );

    // Assert: SendGrid's limit is 30 MB for the whole message
    const bytes = Buffer.byteLength(text) + Buffer.byteLength(html);
    expect(bytes).toBeLessThan(10 * 1024 * 1024);
    expect(text).toMatch(/\d+ more matching records not shown to keep the e-mail small\./);
    expect(text.length).toBeGreaterThan(MAX_TABLE_CHARS / 2);
  });
});

describe('default event columns', () => {
  it.each(TABLE_NAMES)('uses only real columns of %s', (table) => {
    const names = DEFAULT_EVENT_COLUMNS[table].flatMap((spec) => spec.split('/'));

    expect(names.filter((name) => TABLE_COLUMNS[table][name] === undefined)).toEqual([]);
  });

  it.each(TABLE_NAMES)('shows the %s defaults when the rule names no columns', (table) => {
    const rule = alertRule({ table, columns: [] });
    const digest = alertDigest({ rule, events: [event({ timestamp: new Date('2024-03-05T13:05:00Z') }, table)] });

    const { html } = composeAlertEmail(digest, FROM);

    expect(fieldNames(html)).toEqual(DEFAULT_EVENT_COLUMNS[table].map((spec) => spec.split('/')[0]));
  });

  it('shows the exception message when the outer message is missing', () => {
    const rule = alertRule({ table: 'exceptions', columns: [] });
    const digest = alertDigest({ rule, events: [event({ type: 'System.Exception', message: 'boom' }, 'exceptions')] });

    expect(composeAlertEmail(digest, FROM).text).toContain('  outerMessage    boom\n');
  });

  it('matches the issue for requests and exceptions', () => {
    expect(DEFAULT_EVENT_COLUMNS.requests).toEqual([
      'timestamp',
      'name',
      'resultCode',
      'duration',
      'url',
      'operation_Id',
      'cloud_RoleName',
    ]);
    expect(DEFAULT_EVENT_COLUMNS.exceptions).toEqual([
      'timestamp',
      'type',
      'outerMessage/message',
      'problemId',
      'operation_Name',
      'cloud_RoleName',
    ]);
  });
});

describe('composeAlertEmail links', () => {
  const ID =
    '/subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/shop-rg/providers/microsoft.insights/components/shop-prod';
  const OTHER = ID.replace('shop-prod', 'other-app');
  const encoded = (id: string) => encodeURIComponent(id);
  const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
  const withIds = (overrides: Record<string, string | undefined> = {}) =>
    [0, 1].map((i) =>
      failedRequest(i, {
        itemId: `168d425a-44e4-11ea-a71e-0d3a5b6c7d8${i}`,
        operation_Id: `9e3779b15be54fd6b0f0a4c4c1b2a3f${i}`,
        ...overrides,
      }),
    );

  it.each<[string, Parameters<typeof alertDigest>[0], string | undefined]>([
    ['the app’s setting', { appResourceId: ID }, ID],
    [
      'the rule’s ResourceId over the app’s setting',
      { appResourceId: OTHER, rule: alertRule({ notifications: { ...alertRule().notifications, resourceId: ID } }) },
      ID,
    ],
    [
      'the matches’ own _ResourceId over both',
      { appResourceId: OTHER, events: withIds({ _ResourceId: ID.toUpperCase() }) },
      ID.replace('SHOP-RG', 'shop-rg'),
    ],
    ['no resource: no link', {}, undefined],
    ['an invalid setting: no link', { appResourceId: 'javascript:alert(1)' }, undefined],
  ])('opens the rule’s query in Log Analytics on %s', (_, overrides, resource) => {
    const { html, text } = composeAlertEmail(alertDigest(overrides), FROM);

    const logs = hrefs(html).filter((h) => h.includes('/LogsBlade/'));
    if (resource === undefined) {
      expect(logs).toEqual([]);
      expect(text).toContain("No Log Analytics link: set APPINSIGHTS_RESOURCE_ID_SHOP_PROD, or the rule's ResourceId");
    } else {
      expect(logs[0]?.toLowerCase()).toContain(`/resourceid/${encoded(resource)}/`.toLowerCase());
      expect(text).toContain(`Open in Log Analytics:\n${logs[0]}\n`);
    }
  });

  it('links each event to its end-to-end transaction, in both parts', () => {
    const { html, text } = composeAlertEmail(alertDigest({ appResourceId: ID, events: withIds() }), FROM);

    const transactions = hrefs(html).filter((h) => h.includes('/DetailsV2Blade/'));
    expect(transactions).toHaveLength(2);
    expect(transactions[0]).toContain(encodeURIComponent('"eventId":"168d425a-44e4-11ea-a71e-0d3a5b6c7d80"'));
    expect(text).toContain(`Event 1 of 2 · 13:05:01 UTC\n  End-to-end transaction: ${transactions[0]}\n`);
  });

  it('queries the minutes of the chart and the events', () => {
    // Arrange: a 10-minute window, matches at 13:05 and 13:06
    const digest = alertDigest({
      appResourceId: ID,
      rule: alertRule({ windowMinutes: 10, threshold: 2 }),
      minutes: new Map([
        [Date.UTC(2024, 2, 5, 13, 5) / 60_000, 1],
        [Date.UTC(2024, 2, 5, 13, 6) / 60_000, 1],
      ]),
    });

    // Act
    const { html, text } = composeAlertEmail(digest, FROM);

    // Assert
    expect(hrefs(html)[0]).toContain('/timespan/2024-03-05T12%3A57%3A00.000Z%2F2024-03-05T13%3A07%3A00.000Z');
    expect(text).toContain('Matches per minute\n12:57 UTC ········██ 13:06 UTC\npeak 1 per minute\n');
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['quotes', '"onmouseover="alert(1)'],
    ['markup', '<a href="https://evil.example">x</a>'],
    ['line breaks', '168d425a-44e4-11ea-a71e-0d3a5b6c7d80\nX-Evil: 1'],
    ['huge values', `168d425a${'0'.repeat(200_000)}`],
  ])('never lets telemetry holding %s into a link target', (_, hostile) => {
    // Arrange: the hostile value in every column a link could be built from
    const events = withIds({
      itemId: hostile,
      operation_Id: hostile,
      _ResourceId: hostile,
      url: hostile,
      name: hostile,
    });
    const group = { label: `k=${hostile}`, values: { k: hostile } };

    // Act
    const { html, text } = composeAlertEmail(alertDigest({ appResourceId: ID, events, group }), FROM);

    // Assert: the Log Analytics link only, from the setting; the value stays text
    expect(hrefs(html)).toHaveLength(1);
    expect(hrefs(html)[0]).toMatch(
      /^https:\/\/portal\.azure\.com\/#blade\/Microsoft_Azure_Monitoring_Logs\/LogsBlade\/resourceId\/%2Fsubscriptions%2F0f1e2d3c[A-Za-z0-9%._~\-/#:]+$/,
    );
    expect(html).not.toMatch(/<a href="https:\/\/evil|onmouseover="/);
    expect(text.split('\n').filter((l) => l.includes('https://portal.azure.com'))).toHaveLength(1);
  });
});

describe('composeSummaryEmail', () => {
  it('stands for the groups past the cap in the same layout, its ledger key in the header only', () => {
    // Act
    const email = composeSummaryEmail(
      {
        rule: alertRule(),
        appName: 'shop-prod',
        blobName: 'shop-prod_x/Requests/2024-03-05/13/abc.blob',
        groups: [
          { label: '<b>tenant=acme</b>', rows: 3, weighted: 3 },
          { label: 'tenant=globex', rows: 1, weighted: 1 },
        ],
        individualEmails: 9,
        ledgerKey: 'd~summary42',
      },
      FROM,
    );

    // Assert
    expect(email.subject).toBe('[Sev1] checkout-5xx: 2 more groups fired in shop-prod (summary)');
    expect(email.text).toContain(
      'checkout-5xx fired for 2 more groups in shop-prod\n' +
        'shop-prod · requests · summary\n' +
        `${'='.repeat(60)}\n\n` +
        '2 more groups matched 4 requests in one delivery, past the 10 e-mails the rule sends per delivery (ALERT_MAX_EMAILS_PER_RULE); they share this one.\n',
    );
    expect(email.text).toContain('  Group               Records  sum(itemCount)\n  <b>tenant=acme</b>  3        3\n');
    expect(email.html).toContain('&lt;b&gt;tenant=acme&lt;/b&gt;');
    expect(email.headers).toEqual({ 'X-Alert-Ledger-Key': 'd~summary42' });
    expect(`${email.text}${email.html}`).not.toContain('summary42');
  });
});
