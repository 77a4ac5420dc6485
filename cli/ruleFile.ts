import { at } from '../shared/core/defined';
import { describeError } from '../shared/core/describeError';
import { type AlertRule, compileRule, type RuleEntity } from '../shared/core/rules/alertRule';

/**
 * A rules file: a JSON array of rule entities with the rules table's property names. `PartitionKey`
 * (the scope) defaults to `*` and `RowKey` (the id) to the entry's position, 1 for the first. `rules
 * test --file` back-tests one; `rules apply` is meant to write one to the table, hence the table's
 * names and key rules.
 */
export const RULE_FILE_PROPERTIES = [
  'PartitionKey',
  'RowKey',
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
] as const;

/** Written by the app, not by people; a file exported from the table may carry it, and it means nothing here. */
const IGNORED_PROPERTIES = new Set(['LastError', 'Timestamp', 'odata.etag']);

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

/**
 * Reads a rules file, reporting every problem at once: bad JSON with its line and column, anything but
 * an array, entries that are not objects, unknown properties, bad keys, duplicate ids (every entry
 * with that key, since which one was meant is unknown) and each invalid rule's compileRule problems.
 * The valid rules come back whatever else is wrong.
 */
export function readRuleFile(content: string): RuleFileReading {
  // Editors on Windows save a byte-order mark, which JSON.parse refuses.
  const text = content.replace(/^\uFEFF/, '');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return {
      rules: [],
      problems: [
        { ...placeOf(text, jsonErrorOffset(error, text)), message: `invalid JSON: ${jsonErrorReason(error)}` },
      ],
    };
  }
  if (!Array.isArray(document)) {
    return {
      rules: [],
      problems: [
        {
          ...placeOf(text, firstTokenOffset(text)),
          message: `expected a JSON array of rules, found ${kindOf(document)}`,
        },
      ],
    };
  }
  const starts = elementOffsets(text);
  const problems: RuleFileProblem[] = [];
  const candidates: RuleFileRule[] = [];
  const positionsByKey = new Map<string, number[]>();
  document.forEach((item: unknown, index) => {
    const position = index + 1;
    const { line } = placeOf(text, starts[index] ?? 0);
    const at = { line, position };
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ ...at, message: `expected a rule object, found ${kindOf(item)}` });
      return;
    }
    const read = entityOf(item as Record<string, unknown>, position);
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
        line: placeOf(text, starts[position - 1] ?? 0).line,
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

function entityOf(item: Record<string, unknown>, position: number): { entity: RuleEntity; problems: string[] } {
  const problems: string[] = [];
  const key = (property: 'PartitionKey' | 'RowKey', fallback: string): string => {
    const value = item[property];
    if (value === undefined || value === null) return fallback;
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

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
}

/**
 * Where JSON.parse stopped. V8 names no position in a field, only in its message ("… in JSON at
 * position 8"); without one (the end of input) the error is at the end.
 */
function jsonErrorOffset(error: unknown, text: string): number {
  const match = /at position (\d+)/.exec(describeError(error));
  return match ? Number(match[1]) : text.length;
}

function jsonErrorReason(error: unknown): string {
  return describeError(error).replace(/ in JSON at position \d+.*$/, '');
}

function placeOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function firstTokenOffset(text: string): number {
  const match = /\S/.exec(text);
  return match ? match.index : 0;
}

/** Where each element of a top-level array starts, in text JSON.parse accepted. */
function elementOffsets(text: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = at(text, i, 'rule file text');
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (depth === 1 && expectElement && c !== ']') {
      starts.push(i);
      expectElement = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectElement = true;
  }
  return starts;
}
