import { at } from '../shared/core/defined';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? at(sorted, mid, 'sorted values')
    : (at(sorted, mid - 1, 'sorted values') + at(sorted, mid, 'sorted values')) / 2;
}

/** Three significant figures, with thousands separators for large values. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

export function formatMiB(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
}

/** `ours / baseline` as "1.23×". */
export function formatRatio(ours: number, baseline: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(baseline) || baseline === 0) return 'n/a';
  return `${(ours / baseline).toFixed(2)}×`;
}
