import { oneLine } from './displayValue';
import { bannerLabel, type Notice, type NoticeChart, type NoticeSection } from './notice';
import { isPortalHref } from './portalLinks';

/** Longest single line a notice string is kept to; composers cut telemetry far shorter. */
export const MAX_NOTICE_LINE = 20_000;
/** Lines of a code fact (a query) shown; the rest is summarized. */
export const MAX_CODE_LINES = 60;
const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One line of text whatever the string holds: control characters replaced, cut at MAX_NOTICE_LINE. */
export function line(text: string): string {
  return oneLine(text, MAX_NOTICE_LINE);
}

/** A code fact's lines, each cleaned, at most MAX_CODE_LINES. */
export function codeLines(text: string): string[] {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n', MAX_CODE_LINES + 1)
    .map(line);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  if (lines.length > MAX_CODE_LINES) lines.splice(MAX_CODE_LINES, lines.length, '…');
  return lines;
}

/** The plain-text part of a notice: the same content as the HTML, links written out in full. */
export function renderNoticeText(notice: Notice): string {
  const out: string[] = [
    line(bannerLabel(notice)),
    line(notice.title),
    ...(notice.subtitle === undefined ? [] : [line(notice.subtitle)]),
    '='.repeat(60),
    '',
    line(notice.why),
    ...(notice.held ?? []).map(line),
    '',
  ];
  const links = notice.links.filter((link) => isPortalHref(link.href));
  for (const link of links) out.push(`${line(link.label)}:`, link.href, '');
  if (links.length === 0 && notice.linksNote !== undefined) out.push(line(notice.linksNote), '');
  for (const section of notice.sections) out.push(...sectionText(section), '');
  out.push('-- ');
  for (const entry of notice.footer) {
    out.push(entry.command === undefined ? line(entry.text) : `${line(entry.text)} ${line(entry.command)}`);
  }
  out.push('');
  return out.join('\n');
}

function sectionText(section: NoticeSection): string[] {
  switch (section.kind) {
    case 'facts': {
      const width = Math.max(...section.facts.map((f) => line(f.label).length), 0) + 2;
      const lines = [line(section.heading)];
      for (const fact of section.facts) {
        const label = `${line(fact.label)}:`.padEnd(width);
        const [first = '', ...rest] = fact.code === true ? codeLines(fact.value) : [line(fact.value)];
        lines.push(`${label}${first}`, ...rest.map((l) => `${' '.repeat(width)}${l}`));
      }
      return lines;
    }
    case 'chart':
      return [line(section.heading), ...chartText(section.chart)];
    case 'records': {
      const names = section.records.flatMap((r) => r.fields.map(([name]) => line(name).length));
      const width = Math.min(Math.max(...names, 0), 30) + 2;
      const lines = [line(section.heading)];
      for (const record of section.records) {
        lines.push(line(record.title));
        if (record.link !== undefined && isPortalHref(record.link.href)) {
          lines.push(`  ${line(record.link.label)}: ${record.link.href}`);
        }
        for (const [name, value] of record.fields) lines.push(`  ${line(name).padEnd(width)}${line(value)}`);
        lines.push('');
      }
      if (lines[lines.length - 1] === '') lines.pop();
      return lines;
    }
    case 'table': {
      const cells = [section.headings, ...section.rows].map((row) => row.map(line));
      const widths = section.headings.map((_, c) => Math.min(Math.max(...cells.map((r) => (r[c] ?? '').length)), 60));
      const row = (r: readonly string[]) => `  ${widths.map((w, c) => (r[c] ?? '').padEnd(w)).join('  ')}`.trimEnd();
      return [line(section.heading), ...cells.map(row)];
    }
    case 'list':
      return [line(section.heading), ...section.items.map((item) => `  - ${line(item)}`)];
    case 'notes':
      return section.lines.map(line);
    default:
      return [];
  }
}

/** `13:01 UTC ▁▁▃█▅·· 13:10 UTC`, then the caption; `·` is a column without matches. */
export function chartText(chart: NoticeChart): string[] {
  const peak = Math.max(...chart.columns.map((c) => c.count), 0);
  const bars = chart.columns
    .map(({ count }) =>
      count > 0 && peak > 0
        ? (BARS[Math.min(BARS.length - 1, Math.ceil((count / peak) * BARS.length) - 1)] ?? '█')
        : '·',
    )
    .join('');
  return [`${line(chart.startLabel)} ${bars} ${line(chart.endLabel)}`, line(chart.caption)];
}
