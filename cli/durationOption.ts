import { UsageError } from './localExportFiles';

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440 };

/** Minutes from `10m`, `2h`, `1d` or a bare number of minutes. */
export function parseMinutes(option: string, value: string): number {
  const match = /^(\d+)\s*([mhd]?)$/i.exec(value.trim());
  if (!match) throw new UsageError(`${option} takes a duration such as 10m, 2h or 1d, found '${value}'`);
  return Number(match[1]) * (UNIT_MINUTES[(match[2] || 'm').toLowerCase()] ?? 1);
}
