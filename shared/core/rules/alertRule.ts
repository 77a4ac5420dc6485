import type { TelemetryRecord } from '../export/telemetryRecord';
import type { TableName } from '../export/telemetryTypes';
import { fail, ok, type Result } from '../result';
import { type ColumnPath, parseColumnPath, splitColumnList } from './columnPath';
import { compileQuery } from './compileQuery';
import type { QueryTableName } from './querySchema';
import { describeRuleValue, readFlag, readText, readWholeNumber } from './readRuleValue';
import { parseRecipients } from './recipients';
import { formatRuleDiagnostic, type RuleDiagnostic } from './ruleDiagnostic';
import { readRuleNotifications, type RuleNotifications } from './ruleNotifications';

/**
 * A rule as users store it in Table Storage: the contract documented in the README. A number may
 * arrive as Edm.Int32, Int64 (a BigInt or `{ value, type }`), an integral Double or a string, and a
 * flag as a string, since Storage Explorer and scripts write them so (see readRuleValue.ts).
 */
export interface RuleEntity {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly Query?: unknown;
  readonly Recipients?: unknown;
  readonly Enabled?: unknown;
  readonly Severity?: unknown;
  readonly Subject?: unknown;
  readonly Threshold?: unknown;
  readonly WindowMinutes?: unknown;
  readonly GroupBy?: unknown;
  readonly ThrottleMinutes?: unknown;
  readonly MaxEvents?: unknown;
  readonly Columns?: unknown;
  readonly ResourceId?: unknown;
  readonly NotifyResolved?: unknown;
  readonly MuteUntil?: unknown;
  readonly MuteSchedule?: unknown;
  readonly MuteMinutes?: unknown;
  readonly TimeZone?: unknown;
  readonly Notify?: unknown;
  /** Written by the app: the rule's problems at its last load, empty when valid. */
  readonly LastError?: unknown;
  readonly etag?: string;
}

/** A valid, compiled rule. */
export interface AlertRule {
  /** `<app>_<ikey>`, an app name, or `*`. */
  readonly scope: string;
  readonly id: string;
  readonly query: string;
  readonly table: TableName;
  /** The table as the query names it: the classic name, or the workspace one (`AppRequests`). */
  readonly queryTable: QueryTableName;
  /**
   * Whether the query keeps the record. `now` is the evaluation time (epoch ms) `ago()` and `now()`
   * count from: the caller's clock, read once per delivery or back-test.
   */
  readonly matches: (record: TelemetryRecord, now: number) => boolean;
  /** The record (classic) columns the query reads, in order of first use. */
  readonly columnsUsed: readonly string[];
  /** Whether the query calls `ago()` or `now()`. */
  readonly readsClock: boolean;
  readonly recipients: readonly string[];
  readonly enabled: boolean;
  /** 0 critical … 4 verbose, as in Azure Monitor. */
  readonly severity: number;
  readonly subject: string | undefined;
  readonly threshold: number;
  /** 0: count per blob. */
  readonly windowMinutes: number;
  readonly groupBy: readonly ColumnPath[];
  readonly throttleMinutes: number;
  readonly maxEvents: number;
  readonly columns: readonly ColumnPath[];
  /** Links, resolved notices, muting and channels besides e-mail. */
  readonly notifications: RuleNotifications;
}

/** One problem of a rule: the property, and for the query the position in it. */
export interface RuleProblem {
  readonly property: string;
  readonly message: string;
  readonly diagnostic?: RuleDiagnostic;
}

export const RULE_DEFAULTS = {
  enabled: true,
  severity: 2,
  threshold: 1,
  windowMinutes: 0,
  throttleMinutes: 15,
  maxEvents: 20,
} as const;

export const MAX_QUERY_CHARS = 10_000;

/** The most events one e-mail lists, whatever a rule asks: keeps messages far under SendGrid's size limit. */
export const MAX_EVENTS_LIMIT = 500;

/**
 * Validates and compiles a rule entity, reporting every problem at once.
 *
 * @returns the rule, or its problems (the query's with line and column)
 */
export function compileRule(entity: RuleEntity): Result<AlertRule, RuleProblem[]> {
  const problems: RuleProblem[] = [];
  /** The text of a property; undefined, with a problem, when something else is stored there. */
  const text = (
    property: 'Query' | 'Recipients' | 'Subject' | 'GroupBy' | 'Columns',
    shape = '',
  ): string | undefined => {
    const read = readText(entity[property]);
    if (read.ok) return read.value ?? '';
    problems.push({ property, message: `${property} must be text${shape}, found ${read.found}` });
    return undefined;
  };

  const queryText = text('Query');
  const query = queryText ?? '';
  if (queryText !== undefined && query.trim() === '')
    problems.push({ property: 'Query', message: 'Query is required' });
  // Deeply nested queries take the Kusto parser seconds; a where-filter never needs this much text.
  const tooLong = query.length > MAX_QUERY_CHARS;
  if (tooLong)
    problems.push({
      property: 'Query',
      message: `Query is ${query.length} characters, over the ${MAX_QUERY_CHARS}-character limit`,
    });
  const compiled = query.trim() === '' || tooLong ? undefined : compileQuery(query);
  if (compiled && !compiled.ok) {
    for (const diagnostic of compiled.error) {
      problems.push({ property: 'Query', message: formatRuleDiagnostic(diagnostic), diagnostic });
    }
  }

  const recipientList = text('Recipients', ' (addresses separated by , or ;)');
  const recipients = recipientList === undefined ? undefined : parseRecipients(recipientList);
  if (recipients && !recipients.ok) problems.push({ property: 'Recipients', message: recipients.error });

  const int = (property: keyof RuleEntity, fallback: number, min: number, max: number): number => {
    const read = readWholeNumber(entity[property]);
    if (read.ok && (read.value === undefined || (read.value >= min && read.value <= max)))
      return read.value ?? fallback;
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `${min}–${max}`;
    const found = read.ok ? describeRuleValue(entity[property]) : read.found;
    problems.push({ property, message: `${property} must be a whole number ${range}, found ${found}` });
    return fallback;
  };
  const severity = int('Severity', RULE_DEFAULTS.severity, 0, 4);
  const threshold = int('Threshold', RULE_DEFAULTS.threshold, 1, Number.MAX_SAFE_INTEGER);
  const windowMinutes = int('WindowMinutes', RULE_DEFAULTS.windowMinutes, 0, 7 * 24 * 60);
  const throttleMinutes = int('ThrottleMinutes', RULE_DEFAULTS.throttleMinutes, 0, 7 * 24 * 60);
  const maxEvents = int('MaxEvents', RULE_DEFAULTS.maxEvents, 1, MAX_EVENTS_LIMIT);

  const enabled = readFlag(entity.Enabled);
  if (!enabled.ok)
    problems.push({ property: 'Enabled', message: `Enabled must be true or false, found ${enabled.found}` });
  const subjectText = text('Subject') ?? '';
  const subject = subjectText.trim() === '' ? undefined : subjectText;

  // GroupBy and Columns name columns in the schema the query uses.
  const table = compiled?.ok ? compiled.value.queryTable : undefined;
  const paths = (property: 'GroupBy' | 'Columns'): ColumnPath[] => {
    const list = text(property, ' (columns separated by , or ;)') ?? '';
    if (list.trim() === '' || table === undefined) return [];
    const result: ColumnPath[] = [];
    for (const item of splitColumnList(list)) {
      const parsed = parseColumnPath(item, table);
      if (parsed.path) result.push(parsed.path);
      else problems.push({ property, message: `${property}: ${parsed.problem ?? 'invalid column'}` });
    }
    return result;
  };
  const groupBy = paths('GroupBy');
  const columns = paths('Columns');
  const notifications = readRuleNotifications(entity, windowMinutes, problems);

  if (problems.length > 0 || !compiled?.ok || !recipients?.ok) return fail(problems);
  return ok({
    scope: entity.partitionKey,
    id: entity.rowKey,
    query,
    table: compiled.value.table,
    queryTable: compiled.value.queryTable,
    matches: compiled.value.predicate,
    columnsUsed: compiled.value.columnsUsed,
    readsClock: compiled.value.readsClock,
    recipients: recipients.value,
    enabled: (enabled.ok ? enabled.value : undefined) ?? RULE_DEFAULTS.enabled,
    severity,
    subject,
    threshold,
    windowMinutes,
    groupBy,
    throttleMinutes,
    maxEvents,
    columns,
    notifications,
  });
}

/**
 * `rule shop/checkout-5xx: Query line 1, col 38: …; Threshold must be …`: one line (LastError, logs),
 * even where a message quotes query text that spans lines.
 */
export function formatRuleProblems(scope: string, id: string, problems: readonly RuleProblem[]): string {
  const text = problems.map((p) => (p.diagnostic ? `Query ${p.message}` : p.message)).join('; ');
  return `rule ${scope}/${id}: ${text.replace(/\s*[\r\n]+\s*/g, ' ')}`;
}
