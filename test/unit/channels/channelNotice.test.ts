import { MAX_NOTICE_EVENTS, MAX_NOTICE_VALUE_CHARS } from '../../../shared/core/channels/channelNotice';
import { isSafeLinkTarget } from '../../../shared/core/channels/noticeLinks';
import { channelRule, HOSTILE, LOGS_URL, notice, request, RESOURCE_ID } from './channelHelpers';

const withoutResource = channelRule({
  notifications: { ...channelRule().notifications, resourceId: undefined },
});

describe('channelNotice', () => {
  it.each([
    ['a windowed alert', notice(), '12 requests matched in 5 minutes (threshold 10).'],
    [
      'a windowed alert of a group',
      notice({ group: { label: 'tenant=acme', values: { tenant: 'acme' } } }),
      '12 requests matched in 5 minutes (threshold 10) for tenant = acme.',
    ],
    [
      'an alert per blob on sampled telemetry',
      notice({ window: undefined, matched: { rows: 3, weighted: 30 }, rule: channelRule({ threshold: 20 }) }),
      '30 requests (sum of itemCount, sampled telemetry) matched in one delivery (threshold 20).',
    ],
    [
      'a resolved notice',
      notice({}, 'RESOLVED'),
      'Fewer than 10 requests matched in any 5 minutes: the alert is over.',
    ],
    [
      'a resolved notice of a group without a window',
      notice({ window: undefined, group: { label: 'tenant=acme', values: {} } }, 'RESOLVED'),
      'Fewer than 1 request matched in one delivery for tenant=acme: the alert is over.',
    ],
  ])('says why in one sentence, as the e-mail does: %s', (_, subject, summary) => {
    expect(subject.summary).toBe(summary);
  });

  it('links to Log Analytics on the rule ResourceId, never on a resource the telemetry names', () => {
    // Arrange: a record carrying a valid resource id of its own (the successor formats do)
    const other = RESOURCE_ID.replace('shop-api', 'evil-api');
    const subject = notice({ events: [request(0, { _ResourceId: other, url: 'https://evil.example/' })] });

    // Assert
    expect(subject.links).toEqual([{ title: 'Open in Log Analytics', url: LOGS_URL }]);
  });

  it("falls back to the app's APPINSIGHTS_RESOURCE_ID_ setting, and to no link without either", () => {
    expect(notice({ rule: withoutResource, appResourceId: RESOURCE_ID }).links.map((l) => l.url)).toEqual([LOGS_URL]);
    expect(notice({ rule: withoutResource }).links).toEqual([]);
    expect(notice({ rule: withoutResource, appResourceId: `${RESOURCE_ID}?x=1` }).links).toEqual([]);
  });

  it.each([
    [undefined, '2024-03-05 13:05–13:06 UTC'],
    ['UTC', '2024-03-05 13:05–13:06 UTC'],
    ['Europe/Berlin', '2024-03-05 14:05–14:06 CET'],
    ['Mars/Olympus', '2024-03-05 13:05–13:06 UTC'],
  ])('writes the event time range in ALERT_TIME_ZONE %s', (timeZone, range) => {
    expect(notice(timeZone === undefined ? {} : { timeZone }).timeRange).toBe(range);
  });

  it(`holds at most ${MAX_NOTICE_EVENTS} events and MaxEvents, each value one line of at most ${MAX_NOTICE_VALUE_CHARS} characters`, () => {
    const events = Array.from({ length: 80 }, () => request(0, { name: HOSTILE.huge, url: HOSTILE.control }));
    const subject = notice({ events, rule: channelRule({ maxEvents: 500 }) });
    expect(subject.events.rows).toHaveLength(MAX_NOTICE_EVENTS);
    expect(notice({ events, rule: channelRule({ maxEvents: 3 }) }).events.rows).toHaveLength(3);
    const values = subject.events.rows.flat();
    expect(Math.max(...values.map((v) => v.length))).toBeLessThanOrEqual(MAX_NOTICE_VALUE_CHARS + '…[cut]'.length);
    expect(values.some((v) => /[\u0000-\u001f\u2028\u202e]/.test(v))).toBe(false);
  });

  it('bounds the group, app and ledger key, whatever the digest holds', () => {
    const subject = notice({
      appName: HOSTILE.huge,
      ledgerKey: HOSTILE.huge,
      group: { label: HOSTILE.huge, values: { k: HOSTILE.huge } },
    });
    expect(subject.app.length).toBeLessThanOrEqual(206);
    expect(subject.ledgerKey.length).toBeLessThanOrEqual(1_006);
    expect(subject.group?.label.length).toBeLessThanOrEqual(506);
    expect(subject.group?.values.k?.length).toBeLessThanOrEqual(MAX_NOTICE_VALUE_CHARS + 6);
  });
});

describe('isSafeLinkTarget', () => {
  it.each([
    [LOGS_URL, true],
    ['https://portal.azure.com/#blade/x', true],
    ['http://portal.azure.com/#blade/x', false],
    ['javascript:alert(1)', false],
    ['https://portal.azure.com.evil.example/#blade/x', false],
    ['https://evil.example/?https://portal.azure.com/#blade/', false],
    ['https://portal.azure.com/#blade/x y', false],
    ['https://portal.azure.com/#blade/x"onclick', false],
    [`https://portal.azure.com/#blade/${'a'.repeat(8_000)}`, false],
  ])('%s → %s', (url, safe) => {
    expect(isSafeLinkTarget(url)).toBe(safe);
  });
});
