import { RULE_DEFAULTS, type RuleEntity } from './alertRule';
import { describeRuleValue, isEdmValue, readFlag, readText, readWholeNumber } from './readRuleValue';

/**
 * The properties of a rule that people write, in the order a rules file lists them (after PartitionKey
 * and RowKey). LastError, Timestamp and the ETag belong to the table, not to the rule.
 */
export const RULE_PROPERTIES = [
  'Query',
  'Recipients',
  'Severity',
  'Threshold',
  'WindowMinutes',
  'GroupBy',
  'ThrottleMinutes',
  'MaxEvents',
  'Columns',
  'Subject',
  'Enabled',
  'NotifyResolved',
  'MuteUntil',
  'MuteSchedule',
  'MuteMinutes',
  'TimeZone',
  'Notify',
  'ResourceId',
] as const;

export type RuleProperty = (typeof RULE_PROPERTIES)[number];

const WHOLE_NUMBERS: ReadonlySet<RuleProperty> = new Set([
  'Severity',
  'Threshold',
  'WindowMinutes',
  'ThrottleMinutes',
  'MaxEvents',
  'MuteMinutes',
]);

/** A property in the one form plans compare and files hold: whole numbers, flags and text. */
export type RuleValue = string | number | boolean;

/**
 * A stored value no rule can hold (5.5 in Threshold, a number in GroupBy), described as
 * `describeRuleValue` does (`5.5 (Edm.Double)`); it equals nothing a file can say.
 */
export interface UnreadableValue {
  readonly unreadable: string;
}

export type PlanValue = RuleValue | UnreadableValue;

/** A rule reduced to what it says: its keys and the properties it sets, each in canonical form. */
export interface RuleDefinition {
  readonly scope: string;
  readonly id: string;
  readonly properties: Readonly<Partial<Record<RuleProperty, PlanValue>>>;
}

/** One property that differs: absent `from` is a property added, absent `to` one removed. */
export interface PropertyChange {
  readonly property: RuleProperty;
  readonly from?: PlanValue;
  readonly to?: PlanValue;
}

/**
 * A property's value as a rule means it, whatever type stored it: Int32 5, Int64 `{ value: '5' }`,
 * Double 5 and the text '5' are all 5, `'TRUE'` is true. Blank means unset (the default applies),
 * as compileRule reads it.
 */
export function normalizeRuleValue(property: RuleProperty, value: unknown): PlanValue | undefined {
  if (property === 'MuteUntil') return normalizeDateTime(value);
  const read = WHOLE_NUMBERS.has(property)
    ? readWholeNumber(value)
    : property === 'Enabled' || property === 'NotifyResolved'
      ? readFlag(value)
      : readText(value);
  if (!read.ok) return { unreadable: read.found };
  return read.value === '' ? undefined : read.value;
}

/** A date and time in one spelling, ISO 8601 in UTC, whether the table holds a Date or text. */
function normalizeDateTime(value: unknown): PlanValue | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  const text = value instanceof Date ? value.toISOString() : isEdmValue(value) ? String(value.value) : value;
  if (typeof text !== 'string') return { unreadable: describeRuleValue(value) };
  const trimmed = text.trim();
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(trimmed) || !trimmed.includes('T') ? trimmed : `${trimmed}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : { unreadable: describeRuleValue(value) };
}

export function normalizeRule(entity: RuleEntity): RuleDefinition {
  const properties: Partial<Record<RuleProperty, PlanValue>> = {};
  for (const property of RULE_PROPERTIES) {
    const value = normalizeRuleValue(property, entity[property]);
    if (value !== undefined) properties[property] = value;
  }
  return { scope: entity.partitionKey, id: entity.rowKey, properties };
}

export function isUnreadable(value: PlanValue | undefined): value is UnreadableValue {
  return typeof value === 'object';
}

function sameValue(a: PlanValue | undefined, b: PlanValue | undefined): boolean {
  if (isUnreadable(a) || isUnreadable(b)) return isUnreadable(a) && isUnreadable(b) && a.unreadable === b.unreadable;
  return a === b;
}

/**
 * What an unset property means, for those with a default: `Enabled: true` written by `rules add` and a
 * file that leaves Enabled out say the same thing, so neither shows as a change.
 */
const DEFAULTS: Readonly<Partial<Record<RuleProperty, RuleValue>>> = {
  Enabled: RULE_DEFAULTS.enabled,
  Severity: RULE_DEFAULTS.severity,
  Threshold: RULE_DEFAULTS.threshold,
  WindowMinutes: RULE_DEFAULTS.windowMinutes,
  ThrottleMinutes: RULE_DEFAULTS.throttleMinutes,
  MaxEvents: RULE_DEFAULTS.maxEvents,
};

/**
 * The properties that differ between two versions of a rule, in file order; none when they mean the
 * same (a property left unset equals its default written out).
 */
export function diffRule(before: RuleDefinition | undefined, after: RuleDefinition): PropertyChange[] {
  const changes: PropertyChange[] = [];
  for (const property of RULE_PROPERTIES) {
    const from = before?.properties[property];
    const to = after.properties[property];
    if (sameValue(from, to)) continue;
    if (before !== undefined && sameValue(from ?? DEFAULTS[property], to ?? DEFAULTS[property])) continue;
    changes.push({
      property,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    });
  }
  return changes;
}

/** What one step of a plan does to one rule. */
export const PLAN_ACTIONS = {
  /** The file has the rule, the table does not. */
  add: 'add',
  /** Both have it, and some property differs. */
  change: 'change',
  /** Only the table has it, in a scope the file names, and the plan prunes. */
  remove: 'remove',
} as const;

export type PlanAction = (typeof PLAN_ACTIONS)[keyof typeof PLAN_ACTIONS];

interface PlanStepOf<A extends PlanAction> {
  readonly action: A;
  readonly scope: string;
  readonly id: string;
  /** add: every property the rule sets; change: those that differ; remove: none. */
  readonly changes: readonly PropertyChange[];
  /** The version read when planning, which the write must still find; none for add (only if absent). */
  readonly etag?: string;
}

export interface RuleWriteStep extends PlanStepOf<'add' | 'change'> {
  /** The whole rule as written: canonical values, LastError cleared since it was just validated. */
  readonly entity: RuleEntity;
}

export type RulePlanStep = RuleWriteStep | PlanStepOf<'remove'>;

export interface RulePlan {
  /** Adds and changes, then removals, each by scope and id: the order they are written in. */
  readonly steps: readonly RulePlanStep[];
  /** Rules of the file that the table holds as they are. */
  readonly unchanged: number;
  /** `scope/id` of the rules only the table holds in the file's scopes, left alone without prune. */
  readonly kept: readonly string[];
}

export interface PlanOptions {
  /** Remove the table's rules of the file's scopes that the file does not list. */
  readonly prune: boolean;
}

/** Not written from a file: the table's bookkeeping and the version. */
const TABLE_OWNED = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp', 'Timestamp', 'LastError']);

/**
 * The steps that make the table hold the file's rules. The file is the whole truth for each rule it
 * lists: a property it leaves out is removed from the stored rule. Rules of other scopes are never
 * touched, and those of the file's scopes only with `prune`. Properties no rule file can hold (added
 * to the table by other tools) are kept as stored.
 *
 * @param fileRules - valid, with unique keys (the caller validates the file first)
 */
export function planRules(
  fileRules: readonly RuleEntity[],
  tableRules: readonly RuleEntity[],
  options: PlanOptions,
): RulePlan {
  const stored = new Map(tableRules.map((entity) => [keyOf(entity), entity]));
  const listed = new Set(fileRules.map(keyOf));
  const scopes = new Set(fileRules.map((entity) => entity.partitionKey));
  const writes: RuleWriteStep[] = [];
  let unchanged = 0;
  for (const entity of [...fileRules].sort(compareRuleKeys)) {
    const current = stored.get(keyOf(entity));
    const wanted = normalizeRule(entity);
    const changes = diffRule(current === undefined ? undefined : normalizeRule(current), wanted);
    if (current !== undefined && changes.length === 0) {
      unchanged++;
      continue;
    }
    writes.push({
      action: current === undefined ? PLAN_ACTIONS.add : PLAN_ACTIONS.change,
      scope: entity.partitionKey,
      id: entity.rowKey,
      changes,
      entity: {
        ...unmanagedProperties(current),
        ...wanted.properties,
        partitionKey: wanted.scope,
        rowKey: wanted.id,
        LastError: '',
      },
      ...(current?.etag === undefined ? {} : { etag: current.etag }),
    });
  }
  const strays = tableRules
    .filter((entity) => scopes.has(entity.partitionKey) && !listed.has(keyOf(entity)))
    .sort(compareRuleKeys);
  const removals: RulePlanStep[] = options.prune
    ? strays.map((entity) => ({
        action: PLAN_ACTIONS.remove,
        scope: entity.partitionKey,
        id: entity.rowKey,
        changes: [],
        ...(entity.etag === undefined ? {} : { etag: entity.etag }),
      }))
    : [];
  return {
    steps: [...writes, ...removals],
    unchanged,
    kept: options.prune ? [] : strays.map((entity) => `${entity.partitionKey}/${entity.rowKey}`),
  };
}

/** The stored properties a rules file cannot hold, which a write from the file keeps. */
function unmanagedProperties(current: RuleEntity | undefined): Record<string, unknown> {
  if (current === undefined) return {};
  return Object.fromEntries(
    Object.entries(current).filter(
      ([name]) => !TABLE_OWNED.has(name) && !(RULE_PROPERTIES as readonly string[]).includes(name),
    ),
  );
}

/** By scope, then id, comparing code units: the same order on every machine, whatever its locale. */
export function compareRuleKeys(
  a: { readonly partitionKey: string; readonly rowKey: string },
  b: { readonly partitionKey: string; readonly rowKey: string },
): number {
  return compareText(a.partitionKey, b.partitionKey) || compareText(a.rowKey, b.rowKey);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function keyOf(entity: RuleEntity): string {
  return `${entity.partitionKey}\u0000${entity.rowKey}`;
}
