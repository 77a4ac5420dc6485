import type { TelemetryRecord } from '../shared/core/export/telemetryRecord';
import { composeStoppedEmail } from '../shared/core/health/composeWatchEmail';
import { chartSection } from '../shared/core/mail/alertChart';
import type { AlertEmail } from '../shared/core/mail/alertEmail';
import { composeAlertEmail } from '../shared/core/mail/composeAlertEmail';
import { matchHistogram } from '../shared/core/mail/matchHistogram';
import { muteCommand } from '../shared/core/mail/muteCommand';
import { componentOf, logsQueryLink } from '../shared/core/mail/portalLinks';
import { renderNotice } from '../shared/core/mail/renderNotice';
import { zonedClock } from '../shared/core/mail/zonedTime';
import { compileRule } from '../shared/core/rules/alertRule';

// Sample e-mails for the pictures in docs/ (`npm run screenshot`) and the test that screenshots them:
// a FIRING alert composed as production composes it, a RESOLVED notice in the same layout, and the
// export watchdog's e-mail about an export that stopped.

const RESOURCE_ID =
  '/subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/shop-rg/providers/microsoft.insights/components/shop-prod';
const ZONE = 'Europe/Berlin';
const MINUTE = 60_000;
/** 13:00 UTC, 14:00 CET. */
const T0 = Date.UTC(2024, 2, 5, 13, 0);
/** Matches per minute from 13:00 UTC: 15 in the ten minutes, over a threshold of 5. */
const PER_MINUTE = [0, 1, 0, 2, 3, 1, 4, 0, 3, 1];

const QUERY = 'requests\n| where toint(resultCode) >= 500\n| where name startswith "POST /api/checkout"';

function sampleRule() {
  const compiled = compileRule({
    partitionKey: 'shop-prod',
    rowKey: 'checkout-5xx',
    Query: QUERY,
    Recipients: 'oncall@example.com',
    Severity: 1,
    Threshold: 5,
    WindowMinutes: 10,
    GroupBy: 'cloud_RoleName',
    MaxEvents: 3,
    ResourceId: RESOURCE_ID,
  });
  if (!compiled.ok) throw new Error(`the sample rule does not compile: ${JSON.stringify(compiled.error)}`);
  return compiled.value;
}

function request(minute: number, second: number, n: number): TelemetryRecord {
  const hex = (n * 0x9e3779b1).toString(16).padStart(8, '0').slice(0, 8);
  return {
    table: 'requests',
    columns: {
      timestamp: new Date(T0 + minute * MINUTE + second * 1000 + 123),
      name: 'POST /api/checkout',
      resultCode: n % 2 === 0 ? '503' : '500',
      duration: 1_234.5 + n * 97,
      url: `https://shop.contoso.com/api/checkout?cart=${hex}`,
      operation_Id: `${hex}5be54fd6b0f0a4c4c1b2a3f4`,
      itemId: `${hex}-44e4-11ea-a71e-0d3a5b6c7d8e`,
      cloud_RoleName: 'Contoso.Api',
      itemCount: 1,
    },
    raw: {},
  };
}

/** A FIRING alert as `composeAlertEmail` writes it: Sev1, a 10-minute window, times in Europe/Berlin. */
export function sampleFiringEmail(): AlertEmail {
  const rule = sampleRule();
  const minutes = new Map(PER_MINUTE.map((count, i) => [T0 / MINUTE + i, count] as const).filter(([, c]) => c > 0));
  const total = PER_MINUTE.reduce((sum, c) => sum + c, 0);
  const events = [request(1, 12, 1), request(3, 4, 2), request(3, 41, 3)];
  return composeAlertEmail(
    {
      rule,
      appName: 'shop-prod',
      folder: 'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      blobName: 'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/000001-6f0b3c_20240305_131000.blob',
      group: { label: 'cloud_RoleName=Contoso.Api', values: { cloud_RoleName: 'Contoso.Api' } },
      events,
      matched: { rows: total, weighted: total },
      suppressed: { rows: 3, weighted: 3, since: new Date(T0 - 8 * MINUTE) },
      window: { minutes: 10, weighted: total, threshold: 5 },
      firstEventAt: new Date(T0 + MINUTE + 12_123),
      lastEventAt: new Date(T0 + 9 * MINUTE + 30_000),
      minutes,
      timeZone: ZONE,
      ledgerKey: 'd~sample',
    },
    'alerts@example.com',
  );
}

/** A RESOLVED notice in the same layout, with sample data: what the resolved notices will look like. */
export function sampleResolvedEmail(): { readonly subject: string; readonly text: string; readonly html: string } {
  const clock = zonedClock(ZONE);
  const component = componentOf(RESOURCE_ID);
  if (component === undefined) throw new Error('the sample resource id is invalid');
  const start = T0 + 10 * MINUTE;
  const quiet = new Map([
    [start / MINUTE, 2],
    [start / MINUTE + 1, 1],
  ]);
  const histogram = matchHistogram(new Map([...quiet, [start / MINUTE + 11, 0]]), 12);
  const firedAt = new Date(T0 + 10 * MINUTE);
  const resolvedAt = new Date(T0 + 22 * MINUTE);
  const { text, html } = renderNotice({
    state: 'RESOLVED',
    severity: 1,
    title: 'checkout-5xx',
    subtitle: 'shop-prod · requests · cloud_RoleName=Contoso.Api',
    why: `Below the threshold for a whole window: 0 requests matched in the 10 minutes to ${clock.time(resolvedAt)} (threshold 5) for cloud_RoleName = Contoso.Api.`,
    links: [{ label: 'Open in Log Analytics', href: logsQueryLink(component, QUERY, new Date(T0), resolvedAt) }],
    sections: [
      ...(histogram === undefined ? [] : [chartSection(histogram, clock)]),
      {
        kind: 'facts',
        heading: 'Details',
        facts: [
          { label: 'Rule', value: 'shop-prod/checkout-5xx' },
          { label: 'Query', value: QUERY, code: true },
          { label: 'Fired', value: clock.dateTime(firedAt) },
          { label: 'Resolved', value: clock.dateTime(resolvedAt) },
          { label: 'Lasted', value: '12 minutes' },
        ],
      },
    ],
    footer: [
      { text: 'Rule shop-prod/checkout-5xx, Sev1 Error.' },
      { text: 'Mute it for 2 hours:', command: muteCommand({ scope: 'shop-prod', id: 'checkout-5xx' }) },
      { text: `Sent by insights-export-alerts. Times in ${clock.zone}.` },
    ],
  });
  return { subject: '[Sev1] RESOLVED checkout-5xx in shop-prod', text, html };
}

/**
 * The export watchdog's e-mail, as `composeStoppedEmail` writes it: shop-prod's diagnostic setting for
 * AppRequests delivered every hour of the day, then nothing after 13:00 UTC; the 13:45 tick reports it.
 */
export function sampleStoppedEmail(): AlertEmail {
  const lastAt = T0;
  const blob =
    'insights-logs-apprequests/resourceId=/SUBSCRIPTIONS/0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP-PROD/y=2024/m=03/d=05/h=13/m=00/PT1H.json';
  return composeStoppedEmail(
    [
      {
        health: {
          status: {
            app: 'shop-prod',
            type: 'AppRequests',
            source: 'diagnosticSettings',
            last: { blob, version: 'bytes=0-48211', at: lastAt, records: 37, matches: 0, emails: 0 },
            ring: [],
            failing: [],
          },
          deliveredHours: Array.from({ length: 24 }, (_, hour) => lastAt - ((13 - hour + 24) % 24) * 60 * MINUTE),
          totals: { failures: 0, poisoned: 0 },
        },
        since: lastAt,
        staleMinutes: 30,
      },
    ],
    {
      from: 'alerts@example.com',
      to: ['ops@example.com'],
      ledgerKey: 'h~sample',
      now: T0 + 45 * MINUTE,
      timeZone: ZONE,
    },
  );
}
