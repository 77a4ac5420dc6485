import type { BenchSection } from './types';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${columns.map(cell).join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

export function renderSection(section: BenchSection): string {
  const notes = (section.notes ?? []).map((note) => `- ${note}`).join('\n');
  return `## ${section.title}\n\n${renderTable(section.columns, section.rows)}\n${notes ? `\n${notes}\n` : ''}`;
}
