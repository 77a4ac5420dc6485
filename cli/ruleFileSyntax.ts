import { extname } from 'node:path';

import { isSeq, LineCounter, parseDocument } from 'yaml';

import { at } from '../shared/core/defined';
import { describeError } from '../shared/core/describeError';

/** The two spellings of a rules file: the same list of rules, with the same property names. */
export const RULE_FILE_FORMATS = ['yaml', 'json'] as const;
export type RuleFileFormat = (typeof RULE_FILE_FORMATS)[number];

/** One entry of the file's list, with the line it starts on. */
export interface RuleFileEntry {
  readonly value: unknown;
  readonly line: number;
}

/** Why the text is no list: where, and what. */
export interface SyntaxProblem {
  readonly line: number;
  readonly column?: number;
  readonly message: string;
}

export type RuleFileDocument =
  | { readonly ok: true; readonly entries: readonly RuleFileEntry[] }
  | { readonly ok: false; readonly problems: readonly SyntaxProblem[] };

/**
 * The format of a rules file: by its extension (`.yaml`, `.yml`, `.json`), else by its content, which
 * is JSON when it opens with `[` or `{` (YAML reads JSON too, but JSON's own parser names its errors
 * the way a JSON author expects).
 */
export function ruleFileFormatOf(path: string | undefined, content: string): RuleFileFormat {
  const extension = path === undefined ? '' : extname(path).toLowerCase();
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  if (extension === '.json') return 'json';
  return /^\uFEFF?\s*[[{]/.test(content) ? 'json' : 'yaml';
}

export function parseRuleFile(text: string, format: RuleFileFormat): RuleFileDocument {
  return format === 'json' ? parseJson(text) : parseYaml(text);
}

function parseJson(text: string): RuleFileDocument {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const problem = {
      ...placeOf(text, jsonErrorOffset(error, text)),
      message: `invalid JSON: ${jsonErrorReason(error)}`,
    };
    return { ok: false, problems: [problem] };
  }
  if (!Array.isArray(document)) {
    const problem = {
      ...placeOf(text, firstTokenOffset(text)),
      message: `expected a JSON array of rules, found ${kindOf(document)}`,
    };
    return { ok: false, problems: [problem] };
  }
  const starts = elementOffsets(text);
  return {
    ok: true,
    entries: document.map((value: unknown, index) => ({ value, line: placeOf(text, starts[index] ?? 0).line })),
  };
}

/**
 * YAML 1.2 (the core schema: `yes` is text, not a flag), one document. Every syntax error is reported
 * with its line; aliases are followed, at most 100 of them, so a small file cannot expand into a huge one.
 */
function parseYaml(text: string): RuleFileDocument {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return { line, column: col, message: `invalid YAML: ${error.message}` };
      }),
    };
  }
  const contents = document.contents;
  let values: unknown;
  try {
    values = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // An alias to an anchor defined later, or one alias too many.
    return { ok: false, problems: [{ line: 1, message: `invalid YAML: ${describeError(error)}` }] };
  }
  if (!isSeq(contents) || !Array.isArray(values)) {
    const line = contents?.range === undefined ? 1 : lines.linePos(contents.range[0]).line;
    const found = contents === null || values === null ? 'nothing' : kindOf(values);
    return { ok: false, problems: [{ line, message: `expected a YAML list of rules, found ${found}` }] };
  }
  return {
    ok: true,
    entries: values.map((value: unknown, index) => {
      const range = contents.items[index]?.range;
      return { value, line: range === undefined || range === null ? 1 : lines.linePos(range[0]).line };
    }),
  };
}

export function kindOf(value: unknown): string {
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
