import type { AlertDigest } from '../mail/alertEmail';
import { displayValue, oneLine } from '../mail/displayValue';
import { eventColumns } from '../mail/eventColumns';
import { countedItems } from '../mail/tableNouns';
import { whySentence } from '../mail/whySentence';
import { zonedClock } from '../mail/zonedTime';
import { plural } from '../plural';
import { type NoticeLink, noticeLinks } from './noticeLinks';

/** What a notice says about its alert: it fired, or it is over (NotifyResolved). */
export type NoticeState = 'FIRING' | 'RESOLVED';

/** The matches a notice lists: display text only, one line per value, already cut. */
export interface NoticeEvents {
  readonly headings: readonly string[];
  /** Earliest first; each row holds one value per heading (times as ISO UTC, for machines). */
  readonly rows: readonly (readonly string[])[];
  /**
   * Per row, its first column's time in ALERT_TIME_ZONE (`14:01:12 CET`) when that column holds one (the
   * default columns start with the event time), else ''. Chat cards lead each line with it.
   */
  readonly times: readonly string[];
}

/**
 * One alert as every channel besides e-mail tells it: a firing alert or a resolved notice. Everything
 * here is plain text, bounded and without control characters; each payload builder escapes it for its
 * own markup. Built once (`channelNotice`) from the digest the e-mail is composed from.
 */
export interface ChannelNotice {
  readonly state: NoticeState;
  /** A test notice (`alerts send-test`): every payload says so. */
  readonly test: boolean;
  readonly rule: {
    readonly scope: string;
    readonly id: string;
    /** 0 critical … 4 verbose. */
    readonly severity: number;
    readonly query: string;
    readonly table: string;
  };
  readonly app: string;
  /** The export folder `<app>_<ikey>`. */
  readonly folder: string;
  readonly blobName: string;
  readonly group?: { readonly label: string; readonly values: Readonly<Record<string, string>> };
  /** One sentence: why the alert fired, or why it is over. */
  readonly summary: string;
  readonly matched: { readonly rows: number; readonly weighted: number };
  readonly window?: { readonly minutes: number; readonly weighted: number; readonly threshold: number };
  readonly suppressed?: { readonly rows: number; readonly weighted: number; readonly since: Date };
  /** Event time range of the matches; an invalid Date when no event carried a usable time. */
  readonly firstEventAt: Date;
  readonly lastEventAt: Date;
  /** The same range as people read it, in ALERT_TIME_ZONE: `2024-03-05 14:05–14:06 CET`. */
  readonly timeRange: string;
  readonly events: NoticeEvents;
  /** Portal targets built from the rule's ResourceId or the app's setting, never from telemetry. */
  readonly links: readonly NoticeLink[];
  /** The alert's record key; receivers can deduplicate on it. */
  readonly ledgerKey: string;
}

/** Most events a notice carries; each channel shows fewer (see its builder). */
export const MAX_NOTICE_EVENTS = 50;
/** A telemetry value in a notice: shorter than in e-mail, since chat cards are narrow. */
export const MAX_NOTICE_VALUE_CHARS = 200;

/**
 * The notice of one alert. Pure: the same digest, state and flag always give the same notice.
 *
 * @param digest - what the alert's e-mail says (for a resolved notice: the group, its counts and window)
 * @param state - FIRING for an alert, RESOLVED once the group stayed under its threshold
 */
export function channelNotice(
  digest: AlertDigest,
  state: NoticeState,
  options: { test?: boolean } = {},
): ChannelNotice {
  const { rule } = digest;
  const { columns } = eventColumns(rule);
  const clock = zonedClock(digest.timeZone ?? 'UTC');
  const shown = digest.events.slice(0, Math.min(MAX_NOTICE_EVENTS, rule.maxEvents));
  const rows = shown.map((event) =>
    columns.map((column) => displayValue(column.read(event), column.unit, MAX_NOTICE_VALUE_CHARS)),
  );
  const times = shown.map((event) => {
    const first = columns[0]?.read(event);
    return first instanceof Date && !Number.isNaN(first.getTime()) ? clock.seconds(first) : '';
  });
  const group = digest.group
    ? {
        label: oneLine(digest.group.label, 500),
        values: Object.fromEntries(
          Object.entries(digest.group.values)
            .slice(0, 20)
            .map(([key, value]) => [oneLine(key, 100), oneLine(value, MAX_NOTICE_VALUE_CHARS)]),
        ),
      }
    : undefined;
  return {
    state,
    test: options.test === true,
    rule: {
      scope: oneLine(rule.scope, 200),
      id: oneLine(rule.id, 200),
      severity: rule.severity,
      query: oneLine(rule.query, 2_000),
      table: rule.queryTable,
    },
    app: oneLine(digest.appName, 200),
    folder: oneLine(digest.folder, 300),
    blobName: oneLine(digest.blobName, 1_000),
    ...(group === undefined ? {} : { group }),
    summary: noticeSummary(digest, state),
    matched: digest.matched,
    ...(digest.window === undefined ? {} : { window: digest.window }),
    ...(digest.suppressed === undefined || digest.suppressed.rows === 0 ? {} : { suppressed: digest.suppressed }),
    firstEventAt: digest.firstEventAt,
    lastEventAt: digest.lastEventAt,
    timeRange: clock.range(digest.firstEventAt, digest.lastEventAt),
    events: { headings: columns.map((c) => oneLine(c.heading, 100)), rows, times },
    links: noticeLinks(digest),
    ledgerKey: oneLine(digest.ledgerKey, 1_000),
  };
}

/**
 * The sentence under a notice's title: the e-mail's (`12 requests matched in 5 minutes (threshold 10)
 * for tenant = acme.`); a resolved notice says the group stayed under its threshold.
 */
function noticeSummary(digest: AlertDigest, state: NoticeState): string {
  const { rule, window, matched } = digest;
  if (state === 'RESOLVED') {
    const group = digest.group ? ` for ${oneLine(digest.group.label, 200)}` : '';
    const threshold = window?.threshold ?? rule.threshold;
    const span = window ? `any ${plural(window.minutes, 'minute')}` : 'one delivery';
    return `Fewer than ${countedItems(threshold, rule.table)} matched in ${span}${group}: the alert is over.`;
  }
  return whySentence({
    table: rule.table,
    count: window?.weighted ?? matched.weighted,
    sampled: matched.weighted !== matched.rows,
    windowMinutes: window?.minutes ?? 0,
    threshold: window?.threshold ?? rule.threshold,
    group: digest.group?.values ?? {},
  });
}
