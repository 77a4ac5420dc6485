import type { RuleProblem } from './alertRule';
import { formatRuleDiagnostic } from './ruleDiagnostic';

/** Where a problem is in a query: 1-based line and column in UTF-16 code units, as `RuleDiagnostic` has it. */
export interface QueryPlace {
  readonly line: number;
  readonly column: number;
  readonly length: number;
}

export interface CaretOptions {
  /** Put before both lines; default two spaces. */
  readonly indent?: string;
  /** Terminal columns the query line may take; a longer line is cut around the problem. Default 100. */
  readonly width?: number;
}

const TAB_STOP = 4;
const ELLIPSIS = '…';

/**
 * A rule problem as a compiler prints one: the headline (`rule shop/checkout-5xx: Query line 1, col 18:
 * unknown column …`, or `query line 1, col 18: …` for a query outside any rule), then for a problem in
 * the query, the query line and a line of carets under the problem's text (`caretLines`).
 *
 * @param rule - the rule's scope and id; without it the headline names the query
 */
export function formatRuleProblem(
  problem: RuleProblem,
  query: string,
  rule?: { readonly scope: string; readonly id: string },
  options: CaretOptions = {},
): string[] {
  const { diagnostic } = problem;
  const text = diagnostic ? `${rule ? 'Query ' : 'query '}${formatRuleDiagnostic(diagnostic)}` : problem.message;
  const headline = rule ? `rule ${rule.scope}/${rule.id}: ${text}` : text;
  return diagnostic ? [headline, ...caretLines(query, diagnostic, options)] : [headline];
}

/**
 * The query line holding a problem and, under it, a caret for every terminal column of the problem's
 * text (one caret for a problem of no width, such as something missing). Tabs are expanded, wide
 * characters (CJK, emoji) take two columns and combining marks none, control characters show as `�`,
 * and a line wider than `width` is cut around the problem, `…` marking each cut.
 *
 * @returns two lines, or none when the place is not in the query
 */
export function caretLines(query: string, place: QueryPlace, options: CaretOptions = {}): string[] {
  const indent = options.indent ?? '  ';
  const width = Math.max(options.width ?? 100, 10);
  const lineText = query.split('\n')[place.line - 1]?.replace(/\r$/, '');
  if (lineText === undefined) return [];
  const cells = cellsOf(lineText);
  const from = place.column - 1;
  const to = Math.max(from, Math.min(from + place.length, lineText.length));
  const total = cells.reduce((sum, c) => sum + c.width, 0);
  const caretAt = columnOf(cells, from);

  // The window of columns shown: the whole line, or `width` columns around the problem's start.
  let [left, right] = [0, total];
  if (total > width) {
    const room = width - 2;
    left = Math.max(0, caretAt - Math.floor(room / 3));
    right = Math.min(total, left + room);
    left = Math.max(0, right - room);
  }
  let shown = left > 0 ? ELLIPSIS : '';
  let carets = left > 0 ? ' ' : '';
  let startColumn: number | undefined;
  let column = 0;
  for (const cell of cells) {
    const inWindow = column >= left && column + cell.width <= right;
    column += cell.width;
    if (!inWindow) continue;
    if (startColumn === undefined && cell.offset >= from) startColumn = carets.length;
    const inProblem = cell.offset >= from && cell.offset < to;
    shown += cell.text;
    carets += (inProblem ? '^' : ' ').repeat(cell.width);
  }
  if (right < total) shown += ELLIPSIS;
  // A problem of no width (something missing, or only zero-width characters) still gets one caret.
  if (!carets.includes('^')) carets = `${' '.repeat(startColumn ?? carets.length)}^`;
  return [`${indent}${shown}`.trimEnd(), `${indent}${carets}`.trimEnd()];
}

interface Cell {
  /** UTF-16 offset in the line. */
  readonly offset: number;
  readonly text: string;
  /** Terminal columns. */
  readonly width: number;
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufeff]$/u;
const WIDE =
  /^[\p{Emoji_Presentation}\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]$/u;
// NOTE: C0 and C1 controls and lone surrogates would move the terminal's cursor or print as nothing.
const UNPRINTABLE = /^[\u0000-\u001f\u007f-\u009f\ud800-\udfff]$/u;

/** The line's characters as the terminal shows them, tabs expanded to the next multiple of four columns. */
function cellsOf(line: string): Cell[] {
  const cells: Cell[] = [];
  let column = 0;
  let offset = 0;
  for (const char of line) {
    let cell: Cell;
    if (char === '\t') {
      const spaces = TAB_STOP - (column % TAB_STOP);
      cell = { offset, text: ' '.repeat(spaces), width: spaces };
    } else if (UNPRINTABLE.test(char)) {
      cell = { offset, text: '\ufffd', width: 1 };
    } else {
      cell = { offset, text: char, width: ZERO_WIDTH.test(char) ? 0 : WIDE.test(char) ? 2 : 1 };
    }
    cells.push(cell);
    column += cell.width;
    offset += char.length;
  }
  return cells;
}

/** The terminal column where the character at a UTF-16 offset starts (the line's end past it). */
function columnOf(cells: readonly Cell[], offset: number): number {
  let column = 0;
  for (const cell of cells) {
    if (cell.offset >= offset) return column;
    column += cell.width;
  }
  return column;
}
