import type { SummaryDigest } from '../mail/composeSummaryEmail';
import { oneLine } from '../mail/displayValue';
import { countedItems } from '../mail/tableNouns';
import { plural } from '../plural';
import { type ChannelNotice, channelNotice } from './channelNotice';

/** Groups a summary notice names; chat messages are narrow, the e-mail lists up to 200. */
export const MAX_NOTICE_GROUPS = 10;

/**
 * The channel notice of a rule's summary (the groups past ALERT_MAX_EMAILS_PER_RULE in one delivery):
 * one message that names the first groups with their counts, so a channel hears of every group the
 * e-mail does, in one notice whatever the flood. Group labels are telemetry: plain text, cut, no links.
 */
export function summaryChannelNotice(summary: SummaryDigest, timeZone = 'UTC'): ChannelNotice {
  const { rule, groups } = summary;
  const rows = groups.reduce((n, g) => n + g.rows, 0);
  const weighted = groups.reduce((n, g) => n + g.weighted, 0);
  const told = channelNotice(
    {
      rule,
      appName: summary.appName,
      folder: summary.appName,
      blobName: summary.blobName,
      group: { label: `${plural(groups.length, 'more group')} (ALERT_MAX_EMAILS_PER_RULE)`, values: {} },
      events: [],
      matched: { rows, weighted },
      // A summary keeps no event times: the notice says "time unknown" rather than a made-up range.
      firstEventAt: new Date(Number.NaN),
      lastEventAt: new Date(Number.NaN),
      timeZone,
      ledgerKey: summary.ledgerKey,
    },
    'FIRING',
  );
  const named = groups
    .slice(0, MAX_NOTICE_GROUPS)
    .map((g) => `${oneLine(g.label, 100)} (${g.weighted})`)
    .join('; ');
  const rest = groups.length > MAX_NOTICE_GROUPS ? `; and ${groups.length - MAX_NOTICE_GROUPS} more` : '';
  return {
    ...told,
    summary:
      `${plural(groups.length, 'more group')} fired in this delivery beyond the rule's own ${plural(summary.individualEmails, 'alert')}, ` +
      `${countedItems(weighted, rule.table)} together: ${named}${rest}.`,
  };
}
