import { formatMachine, type MachineInfo } from './machine';
import { renderSection } from './markdown';
import type { BenchSection } from './types';

/** How one section was run: what docs/BENCHMARKS.md prints above its table. */
export interface SectionRun {
  readonly machine: MachineInfo;
  /** When the section finished, ISO 8601. */
  readonly finishedAt: string;
  /** `os.loadavg()` just before the section started: 1, 5 and 15 minutes. */
  readonly loadBefore: readonly number[];
  readonly command: string;
}

export const startMarker = (name: string) => `<!-- bench:${name} -->`;
export const endMarker = (name: string) => `<!-- /bench:${name} -->`;

/**
 * One section's block: its table and notes under a line naming the machine, the date and the load, since
 * a figure means little without the machine it came from and whatever else was running on it.
 */
export function renderBenchBlock(section: BenchSection, run: SectionRun): string {
  const load = run.loadBefore.map((value) => value.toFixed(2)).join(' / ');
  const machineLine =
    `Measured ${run.finishedAt.slice(0, 10)} (${run.finishedAt}) on ${formatMachine(run.machine)}; ` +
    `load average before the run ${load} (1 / 5 / 15 min, ${run.machine.cores} cores); \`${run.command}\`.`;
  const [heading, ...rest] = renderSection(section).split('\n');
  return [heading, '', machineLine, ...rest].join('\n').trimEnd();
}

/**
 * The document with the block of section `name` replaced by `block`, every other byte kept; a section not
 * in the document yet is appended at its end.
 *
 * @throws Error when the document has the section's start marker without an end marker after it (a hand
 *   edit gone wrong): appending would leave two blocks, replacing would guess where the old one ended.
 */
export function replaceBenchBlock(document: string, name: string, block: string): string {
  const start = startMarker(name);
  const end = endMarker(name);
  const wrapped = `${start}\n\n${block.trim()}\n\n${end}`;
  const from = document.indexOf(start);
  if (from < 0) {
    const body = document.trimEnd();
    return `${body}${body === '' ? '' : '\n\n'}${wrapped}\n`;
  }
  const to = document.indexOf(end, from + start.length);
  if (to < 0) throw new Error(`benchmarks document: ${start} has no ${end} after it`);
  return document.slice(0, from) + wrapped + document.slice(to + end.length);
}
