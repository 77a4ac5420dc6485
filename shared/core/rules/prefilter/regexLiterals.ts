import { at } from '../../defined';

/**
 * Literals one of which every match of an RE2 pattern contains: one per top-level alternative, the
 * longest run of plain characters that the alternative always matches. `undefined` when some
 * alternative has no such run, or the pattern sets flags (`(?i)`, `(?s)`, ...), which this does not
 * interpret. Conservative: it stops reading an alternative at a group or an escape, and a character
 * made optional by `?`, `*` or `{` is not part of any run.
 */
export function requiredLiterals(pattern: string): string[] | undefined {
  if (pattern.includes('(?')) return undefined;
  const literals: string[] = [];
  for (const branch of topLevelBranches([...pattern])) {
    const literal = longestRun(branch);
    if (literal === '') return undefined;
    literals.push(literal);
  }
  return literals;
}

/** Characters that may stand for themselves but start or end something else in RE2. */
const SPECIAL = new Set(['\\', '[', ']', '(', ')', '{', '}', '.', '^', '$', '|', '*', '+', '?']);

function topLevelBranches(chars: readonly string[]): string[][] {
  const branches: string[][] = [[]];
  let depth = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = at(chars, i, 'pattern characters');
    let end = i + 1;
    if (ch === '\\') end = i + 2;
    else if (ch === '[') end = classEnd(chars, i);
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (ch === '|' && depth === 0) {
      branches.push([]);
      continue;
    }
    at(branches, branches.length - 1, 'branches').push(...chars.slice(i, end));
    i = end - 1;
  }
  return branches;
}

/** The index after the `]` closing the class opened at `start` (a `]` first in the class is literal). */
function classEnd(chars: readonly string[], start: number): number {
  let i = start + 1;
  if (chars[i] === '^') i++;
  if (chars[i] === ']') i++;
  for (; i < chars.length; i++) {
    if (chars[i] === '\\') i++;
    else if (chars[i] === '[' && chars[i + 1] === ':') {
      const close = chars.indexOf(']', i + 2);
      i = close === -1 ? chars.length : close;
    } else if (chars[i] === ']') return i + 1;
  }
  return chars.length;
}

function longestRun(chars: readonly string[]): string {
  let best = '';
  let run = '';
  const finish = (): void => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < chars.length; i++) {
    const ch = at(chars, i, 'pattern characters');
    if (ch === '*' || ch === '?' || ch === '{') {
      // The atom before may repeat zero times: it leaves the run, and reading stops at a brace.
      run = [...run].slice(0, -1).join('');
      finish();
      if (ch === '{') break;
      if (chars[i + 1] === '?') i++;
    } else if (ch === '+') {
      finish();
      if (chars[i + 1] === '?') i++;
    } else if (ch === '[') {
      finish();
      i = classEnd(chars, i) - 1;
    } else if (ch === '\\' || ch === '(') {
      finish();
      break;
    } else if (SPECIAL.has(ch)) finish();
    else run += ch;
  }
  finish();
  return best;
}
