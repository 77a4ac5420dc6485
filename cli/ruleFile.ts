import { type AlertRule, compileRule, type RuleEntity } from '../shared/core/rules/alertRule';
import { RULE_PROPERTIES } from '../shared/core/rules/rulePlan';
import { kindOf, parseRuleFile, type RuleFileFormat, ruleFileFormatOf } from './ruleFileSyntax';

/**
 * A rules file: a list of rule entities with the rules table's property names, in YAML or JSON.
 * `rules test --file` back-tests one, `rules apply` makes the table hold it, `rules export` writes one.
 * For a back-test `PartitionKey` (the scope) defaults to `*` and `RowKey` (the id) to the entry's
 * position, 1 for the first; apply needs both, since a position changes when an entry moves.
 */
export const RULE_FILE_PROPERTIES = ['PartitionKey', 'RowKey', ...RULE_PROPERTIES] as const;

/** Written by the app, not by people; a file exported from the table may carry it, and it means nothing here. */
const IGNORED_PROPERTIES = new Set(['LastError', 'Timestamp', 'odata.etag']);

const KEY_MEANING = { PartitionKey: "the scope: '<app>_<ikey>', the app name or '*'", RowKey: 'the rule id' } as const;

/** Table Storage's key rules, so a file that back-tests cleanly can also be applied. */
const KEY_CHARACTERS = /^[^/\\#?\u0000-\u001f\u007f-\u009f]{1,512}$/;

/** A valid rule of the file, with where it stands. */
export interface RuleFileRule {
  /** 1 for the first entry of the array. */
  readonly position: number;
  readonly line: number;
  readonly entity: RuleEntity;
  readonly rule: AlertRule;
}

/** One problem of the file: where (line, and column for bad JSON), which entry, and what. */
export interface RuleFileProblem {
  readonly line: number;
  readonly column?: number;
  readonly position?: number;
  /** `scope/id` once the entry has one. */
  readonly rule?: string;
  readonly message: string;
}

export interface RuleFileReading {
  readonly rules: readonly RuleFileRule[];
  readonly problems: readonly RuleFileProblem[];
}

export interface RuleFileOptions {
  /** Default: by the content (JSON when it opens with `[` or `{`). */
  readonly format?: RuleFileFormat;
  /** Each rule must name its PartitionKey and RowKey, as `rules apply` needs. */
  readonly requireKeys?: boolean;
}

/**
 * Reads a rules file, reporting every problem at once: bad JSON or YAML with its line (and column),
 * anything but a list, entries that are not objects, unknown properties, bad or (with `requireKeys`)
 * missing keys, duplicate ids (every entry with that key, since which one was meant is unknown) and
 * each invalid rule's compileRule problems. The valid rules come back whatever else is wrong.
 */
export function readRuleFile(content: string, options: RuleFileOptions = {}): RuleFileReading {
  // Editors on Windows save a byte-order mark, which JSON.parse refuses.
  const text = content.replace(/^\uFEFF/, '');
  const document = parseRuleFile(text, options.format ?? ruleFileFormatOf(undefined, text));
  if (!document.ok) return { rules: [], problems: document.problems };
  const lineOf = (position: number): number => document.entries[position - 1]?.line ?? 1;
  const problems: RuleFileProblem[] = [];
  const candidates: RuleFileRule[] = [];
  const positionsByKey = new Map<string, number[]>();
  document.entries.forEach(({ value: item, line }, index) => {
    const position = index + 1;
    const at = { line, position };
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ ...at, message: `expected a rule object, found ${kindOf(item)}` });
      return;
    }
    const read = entityOf(item as Record<string, unknown>, position, options.requireKeys ?? false);
    const name = `${read.entity.partitionKey}/${read.entity.rowKey}`;
    const key = `${read.entity.partitionKey}\u0000${read.entity.rowKey}`;
    positionsByKey.set(key, [...(positionsByKey.get(key) ?? []), position]);
    const compiled = compileRule(read.entity);
    const messages = [
      ...read.problems,
      ...(compiled.ok ? [] : compiled.error.map((p) => (p.diagnostic ? `Query ${p.message}` : p.message))),
    ];
    if (messages.length > 0) problems.push({ ...at, rule: name, message: messages.join('; ') });
    if (compiled.ok && read.problems.length === 0)
      candidates.push({ position, line, entity: read.entity, rule: compiled.value });
  });
  const duplicated = new Set<number>();
  for (const [key, positions] of positionsByKey) {
    if (positions.length < 2) continue;
    const name = key.replace('\u0000', '/');
    for (const position of positions) {
      duplicated.add(position);
      const others = positions
        .filter((p) => p !== position)
        .map((p) => `#${p}`)
        .join(', ');
      problems.push({
        line: lineOf(position),
        position,
        rule: name,
        message: `duplicate id: rule ${name} is also entry ${others}`,
      });
    }
  }
  problems.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  return { rules: candidates.filter((c) => !duplicated.has(c.position)), problems };
}

/** `rules.json:12: rule #3 (shop/checkout-5xx): Threshold must be …` */
export function formatRuleFileProblem(file: string, problem: RuleFileProblem): string {
  const where = `${file}:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  const which =
    problem.position === undefined
      ? ''
      : `rule #${problem.position}${problem.rule === undefined ? '' : ` (${problem.rule})`}: `;
  return `${where}: ${which}${problem.message}`;
}

function entityOf(
  item: Record<string, unknown>,
  position: number,
  requireKeys: boolean,
): { entity: RuleEntity; problems: string[] } {
  const problems: string[] = [];
  const key = (property: 'PartitionKey' | 'RowKey', fallback: string): string => {
    const value = item[property];
    if (value === undefined || value === null) {
      if (requireKeys) problems.push(`${property} (${KEY_MEANING[property]}) is required to apply a file`);
      return fallback;
    }
    if (typeof value !== 'string') {
      problems.push(`${property} must be text, found ${kindOf(value)}`);
      return JSON.stringify(value);
    }
    if (!KEY_CHARACTERS.test(value))
      problems.push(`${property} must be 1–512 characters without / \\ # ? or control characters (Table Storage keys)`);
    return value;
  };
  const entity: Record<string, unknown> = {
    partitionKey: key('PartitionKey', '*'),
    rowKey: key('RowKey', String(position)),
  };
  for (const [property, value] of Object.entries(item)) {
    if (property === 'PartitionKey' || property === 'RowKey' || IGNORED_PROPERTIES.has(property)) continue;
    if ((RULE_FILE_PROPERTIES as readonly string[]).includes(property)) {
      entity[property] = value;
      continue;
    }
    const near = RULE_FILE_PROPERTIES.find((known) => editDistance(known.toLowerCase(), property.toLowerCase()) <= 2);
    problems.push(`unknown property '${property}'${near === undefined ? '' : ` (did you mean '${near}'?)`}`);
  }
  return { entity: entity as unknown as RuleEntity, problems };
}

/** Levenshtein distance, for the did-you-mean of a misspelt property. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current.push(
        Math.min(
          (previous[j] ?? 0) + 1,
          (current[j - 1] ?? 0) + 1,
          (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
        ),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
