import { type ChannelNotice, channelNotice, type NoticeState } from '../../../shared/core/channels/channelNotice';
import type { ColumnValue, TelemetryRecord } from '../../../shared/core/export/telemetryRecord';
import type { AlertDigest } from '../../../shared/core/mail/alertEmail';
import type { AlertRule } from '../../../shared/core/rules/alertRule';
import { alertRule } from '../mail/mailHelpers';

/** The resource id a rule's ResourceId holds in these tests. */
export const RESOURCE_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/shop/providers/microsoft.insights/components/shop-api';

/** The "Open in Log Analytics" link of the sample notice: RESOURCE_ID, the rule's query, 13:05–13:07 UTC. */
export const LOGS_URL =
  'https://portal.azure.com/#blade/Microsoft_Azure_Monitoring_Logs/LogsBlade/resourceId/%2Fsubscriptions%2F00000000-0000-0000-0000-000000000000%2FresourceGroups%2Fshop%2Fproviders%2Fmicrosoft.insights%2Fcomponents%2Fshop-api/source/LogsBlade.AnalyticsShareLinkToQuery/q/H4sIAAAAAAAC%2FytKLSxNLS4pVqhRKM9ILUpVKMnPzCvRKEotLs0pcc5PSdVUsLNVMDUwAABMtcxdKQAAAA%3D%3D/timespan/2024-03-05T13%3A05%3A00.000Z%2F2024-03-05T13%3A07%3A00.000Z';

/** A 5xx request at 13:05:01 plus `minute` minutes, with every default column set. */
export function request(minute = 0, overrides: Record<string, ColumnValue | undefined> = {}): TelemetryRecord {
  return {
    table: 'requests',
    raw: {},
    columns: {
      timestamp: new Date(Date.UTC(2024, 2, 5, 13, 5 + minute, 1, 123)),
      name: 'POST /checkout',
      resultCode: '503',
      duration: 1234.5,
      url: 'https://shop.example.com/checkout',
      operation_Id: `op${minute}`,
      cloud_RoleName: 'web',
      ...overrides,
    },
  };
}

/** A rule with a ResourceId (so notices carry portal links), overridable. */
export function channelRule(overrides: Partial<AlertRule> = {}): AlertRule {
  const rule = alertRule();
  return { ...rule, notifications: { ...rule.notifications, resourceId: RESOURCE_ID }, ...overrides };
}

/** Every field of a digest written out, so the expected payloads below do not move with other helpers. */
export function digest(overrides: Partial<AlertDigest> = {}): AlertDigest {
  const events = overrides.events ?? [request(0), request(1)];
  return {
    rule: channelRule(),
    appName: 'shop-prod',
    folder: 'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    blobName: 'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/abc.blob',
    events,
    matched: { rows: 12, weighted: 12 },
    window: { minutes: 5, weighted: 12, threshold: 10 },
    firstEventAt: new Date(Date.UTC(2024, 2, 5, 13, 5, 1, 123)),
    lastEventAt: new Date(Date.UTC(2024, 2, 5, 13, 6, 1, 123)),
    ledgerKey: 'd~ledger-1',
    ...overrides,
  };
}

export function notice(
  overrides: Partial<AlertDigest> = {},
  state: NoticeState = 'FIRING',
  test = false,
): ChannelNotice {
  return channelNotice(digest(overrides), state, { test });
}

/** Values an attacker can put in telemetry: markup of every channel, control characters, huge text. */
export const HOSTILE = {
  markdownLink: '[click here](https://evil.example/steal)',
  slackLink: '<https://evil.example|click> <!channel> & <@U123>',
  html: '<script>alert(1)</script><a href="https://evil.example">x</a>',
  control: 'line1\r\nline2\u0000\u001b[31m\u2028\u202eexe.txt',
  unicode: '😀🚀 ünïcödé 漢字 \u{1f9ea}'.repeat(40),
  huge: 'x'.repeat(100_000),
  backticks: '```` end of code ` `',
} as const;
