import { escapeHtml } from './displayValue';

/**
 * What an alert e-mail says, as plain one-line strings. Telemetry in it is attacker-controlled: the
 * renderers escape every string and never make one a link.
 */
export interface AlertBody {
  readonly title: string;
  readonly facts: readonly (readonly [label: string, value: string])[];
  readonly headings: readonly string[];
  /** One row per event, one cell per heading. */
  readonly rows: readonly (readonly string[])[];
  /** Said under the events: what was left out, and why. */
  readonly notes: readonly string[];
  readonly footer: string;
}

/** Renders the body as plain text and as HTML with the same content. */
export function renderAlertBody(body: AlertBody): { text: string; html: string } {
  return { text: renderText(body), html: renderHtml(body) };
}

function renderText(body: AlertBody): string {
  const lines: string[] = [body.title, ''];
  const factWidth = Math.max(...body.facts.map(([label]) => label.length), 0) + 2;
  for (const [label, value] of body.facts) lines.push(`${`${label}:`.padEnd(factWidth)}${value}`);
  lines.push('');
  const headingWidth = Math.min(Math.max(...body.headings.map((h) => h.length), 0), 30) + 2;
  body.rows.forEach((row, i) => {
    lines.push(`Event ${i + 1} of ${body.rows.length}`);
    body.headings.forEach((heading, c) => lines.push(`  ${heading.padEnd(headingWidth)}${row[c] ?? ''}`));
    lines.push('');
  });
  for (const note of body.notes) lines.push(note);
  if (body.notes.length > 0) lines.push('');
  lines.push('-- ', body.footer, '');
  return lines.join('\n');
}

// NOTE: one style sheet rather than a style per cell keeps a 500-row table small; clients that drop
// <style> still show a readable table.
const STYLE = [
  'body{font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:14px}',
  'table{border-collapse:collapse;margin-bottom:12px}',
  'th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;font-size:12px}',
  'thead th{background:#f3f3f3}',
  '.footer{color:#666;font-size:12px}',
].join('');

function renderHtml(body: AlertBody): string {
  const title = escapeHtml(body.title);
  const facts = body.facts.map(
    ([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
  );
  const head = body.headings.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const rows = body.rows.map(
    (row) => `<tr>${body.headings.map((_, c) => `<td>${escapeHtml(row[c] ?? '')}</td>`).join('')}</tr>`,
  );
  const events =
    body.rows.length === 0
      ? []
      : [
          '<h3>Events (earliest first)</h3>',
          `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>`,
          ...rows,
          '</tbody></table>',
        ];
  return [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head>`,
    '<body>',
    `<h2>${title}</h2>`,
    '<table>',
    ...facts,
    '</table>',
    ...events,
    ...body.notes.map((note) => `<p>${escapeHtml(note)}</p>`),
    `<p class="footer">${escapeHtml(body.footer)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
}
