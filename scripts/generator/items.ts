import type { ContextOptions, RowSeed } from './context';

/** One row's items (the array under the type key) plus what its context should say. */
export interface BuiltItems {
  readonly items: Record<string, unknown>[];
  readonly context: ContextOptions;
}

export type ItemBuilder = (row: RowSeed) => BuiltItems;

/** Replaces `{n}` with a number and `{h}` with eight hex digits. */
export function fillPath(row: RowSeed, template: string): string {
  return template.replace(/\{n\}/g, () => String(row.rng.int(1, 99_999))).replace(/\{h\}/g, () => row.rng.hex(8));
}

/** The route as ASP.NET Core names requests: placeholders kept, so names group. */
export function templateName(template: string): string {
  return template.replace(/\{n\}/g, '{id}').replace(/\{h\}/g, '{key}');
}
