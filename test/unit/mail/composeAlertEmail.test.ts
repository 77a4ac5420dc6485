import { TABLE_COLUMNS } from '../../../shared/core/export/tableSchemas';
import { TABLE_NAMES } from '../../../shared/core/export/telemetryTypes';
import { composeAlertEmail, MAX_TABLE_CHARS } from '../../../shared/core/mail/composeAlertEmail';
import { CUT_MARKER, MAX_VALUE_CHARS } from '../../../shared/core/mail/displayValue';
import { DEFAULT_EVENT_COLUMNS, MAX_EVENT_COLUMNS } from '../../../shared/core/mail/eventColumns';
import { alertDigest, alertRule, columnsOf, event, failedRequest } from './mailHelpers';

const FROM = 'alerts@example.com';
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

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
      expect(body).toContain('2024-03-05T13:05:01.123Z and 2024-03-05T13:06:01.123Z (UTC)');
      expect(body).toContain('2 records');
      expect(body).toContain('ledger-1');
    }
    expect(email.text).toContain('Shown:          2, earliest first');
  });

  it('shows sum(itemCount) only when sampling makes it differ from the record count', () => {
    const unsampled = composeAlertEmail(alertDigest(), FROM);
    const sampled = composeAlertEmail(alertDigest({ matched: { rows: 2, weighted: 8 } }), FROM);

    expect(unsampled.text).not.toContain('sum(itemCount)');
    expect(sampled.text).toContain('Matched:        2 records, sum(itemCount) 8 (sampled telemetry)');
    expect(sampled.html).toContain('2 records, sum(itemCount) 8 (sampled telemetry)');
  });

  it('says how many matches were throttled since when', () => {
    const since = new Date('2024-03-05T12:50:00Z');

    const email = composeAlertEmail(alertDigest({ suppressed: { rows: 5, weighted: 20, since } }), FROM);

    expect(email.text).toContain(
      'Suppressed:     5 records, sum(itemCount) 20 (sampled telemetry), throttled since 2024-03-05T12:50:00.000Z',
    );
    expect(composeAlertEmail(alertDigest(), FROM).text).not.toContain('Suppressed');
  });

  it('lists the group values', () => {
    const digest = alertDigest({
      group: { label: 'tenant=acme, region=eu', values: { tenant: 'acme', region: 'eu' } },
    });

    expect(composeAlertEmail(digest, FROM).text).toContain('Group values:   tenant = acme, region = eu');
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
    expect(html).not.toMatch(/<script|<img|<b>|<a[\s>]|href=/i);
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
    expect(html).toContain(`<td>${cut}</td>`);
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
    expect(html).toContain(
      '<thead><tr><th>resultCode</th><th>customDimensions.tenant</th><th>duration</th></tr></thead>',
    );
  });

  it(`shows at most ${MAX_EVENT_COLUMNS} columns and says how many it left out`, () => {
    const names = Object.keys(TABLE_COLUMNS.requests).slice(0, MAX_EVENT_COLUMNS + 3);
    const rule = alertRule({ columns: columnsOf('requests', ...names) });

    const { html, text } = composeAlertEmail(alertDigest({ rule }), FROM);

    expect(html.match(/<thead>.*<\/thead>/)?.[0].match(/<th>/g)).toHaveLength(MAX_EVENT_COLUMNS);
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

    const headings = DEFAULT_EVENT_COLUMNS[table].map((spec) => `<th>${spec.split('/')[0]}</th>`).join('');
    expect(html).toContain(`<thead><tr>${headings}</tr></thead>`);
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
