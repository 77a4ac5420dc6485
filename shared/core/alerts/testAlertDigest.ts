import type { ColumnValue, TelemetryRecord } from '../export/telemetryRecord';
import type { AlertDigest } from '../mail/alertEmail';
import { appResourceIdOf, type NoticeSettings } from '../mail/noticeSettings';
import type { AlertRule } from '../rules/alertRule';
import type { ColumnPath } from '../rules/columnPath';

/** What a test event holds in every GroupBy column: no real group reads like it. */
export const TEST_VALUE = '(test)';

const MINUTE = 60_000;
/** The folder Continuous Export names: `<app>_<ikey without dashes>`. */
const EXPORT_FOLDER = /^(.+)_[0-9a-f]{32}$/i;

/**
 * The digest of a test alert (`alerts send-test`): the rule as it is, with its threshold and window,
 * as if it had fired at `now` on exactly its threshold. Nothing was read: its one event is made up, of
 * the rule's table at `now`, every GroupBy column holding `(test)`, and the digest is marked a test,
 * so its e-mail and notices say so. Pure.
 *
 * @param key - tells one test from another where an alert's ledger key goes (headers, notices): a test
 *   is no alert and has no record, so receivers must not take two tests for one
 */
export function testAlertDigest(rule: AlertRule, now: Date, key: string, notice: NoticeSettings): AlertDigest {
  const { appName, folder } = appOfScope(rule.scope);
  const groupValues = Object.fromEntries(rule.groupBy.map((path) => [path.text, TEST_VALUE]));
  const appResourceId = appResourceIdOf(notice, appName);
  const count = Math.max(1, rule.threshold);
  return {
    rule,
    appName,
    folder,
    blobName: '(none: a test sent by alerts send-test reads no blob)',
    ...(rule.groupBy.length === 0
      ? {}
      : {
          group: {
            label: rule.groupBy.map((path) => `${path.text}=${TEST_VALUE}`).join(', '),
            values: groupValues,
          },
        }),
    events: [testEvent(rule, now)],
    matched: { rows: count, weighted: count },
    ...(rule.windowMinutes > 0
      ? {
          window: { minutes: rule.windowMinutes, weighted: count, threshold: rule.threshold },
          minutes: new Map([[Math.floor(now.getTime() / MINUTE), count]]),
        }
      : {}),
    firstEventAt: now,
    lastEventAt: now,
    timeZone: notice.timeZone,
    ...(appResourceId === undefined ? {} : { appResourceId }),
    ledgerKey: key,
    test: true,
  };
}

/** The made-up event: the time, one item, and `(test)` in each GroupBy column; nothing else. */
function testEvent(rule: AlertRule, now: Date): TelemetryRecord {
  const columns: Record<string, ColumnValue> = { timestamp: now, itemCount: 1 };
  for (const path of rule.groupBy) setPath(columns, path);
  return { table: rule.table, columns, raw: {} };
}

function setPath(columns: Record<string, ColumnValue>, path: ColumnPath): void {
  if (path.key === undefined) {
    columns[path.column] = TEST_VALUE;
    return;
  }
  const bag = columns[path.column];
  const values = bag !== null && typeof bag === 'object' && !(bag instanceof Date) && !Array.isArray(bag) ? bag : {};
  columns[path.column] = { ...values, [path.key]: TEST_VALUE };
}

/**
 * The app a scope names, as an alert of it would: a Continuous Export folder `<app>_<ikey>` gives its
 * app; a resource id its last segment; `*` no app in particular.
 */
function appOfScope(scope: string): { appName: string; folder: string } {
  if (scope === '*') return { appName: TEST_VALUE, folder: TEST_VALUE };
  const last = scope.replace(/\/+$/, '').split('/').pop() || scope;
  const exported = EXPORT_FOLDER.exec(last);
  return exported ? { appName: exported[1] ?? last, folder: last } : { appName: last, folder: TEST_VALUE };
}
