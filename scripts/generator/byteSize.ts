/** The units `--bytes` takes, as written back in what the generator reports. */
const UNITS = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 } as const;

export type ByteUnit = keyof typeof UNITS;

/** A size as asked for: its bytes, and the unit to report sizes in. */
export interface ByteSize {
  readonly bytes: number;
  readonly unit: ByteUnit;
}

/** How `--help` explains sizes. */
export const BYTE_SIZE_HELP =
  'KB, MB, GB are powers of 1000 (1MB = 1,000,000 bytes), KiB, MiB, GiB of 1024 (1MiB = 1,048,576 bytes)';

/**
 * Reads "100MB", "1GiB", "512kb" or "2048": KB, MB, GB in powers of 1000 and KiB, MiB, GiB in powers
 * of 1024, as the SI and IEC prefixes say, so a size asked for in one comes back in that one.
 * @returns undefined when the text is not a size
 */
export function parseByteSize(text: string): ByteSize | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const written = (match[2] ?? '').toLowerCase() || 'b';
  const unit = (Object.keys(UNITS) as ByteUnit[]).find((u) => u.toLowerCase() === written);
  return unit === undefined ? undefined : { bytes: Math.round(Number(match[1]) * UNITS[unit]), unit };
}

/** `bytes` in `unit` to two decimals (`1.00 MB`); without a unit, in the largest binary one that fits. */
export function formatByteSize(bytes: number, unit?: ByteUnit): string {
  if (unit === 'B') return `${bytes} B`;
  if (unit !== undefined) return `${(bytes / UNITS[unit]).toFixed(2)} ${unit}`;
  if (bytes >= UNITS.GiB) return `${(bytes / UNITS.GiB).toFixed(2)} GiB`;
  if (bytes >= UNITS.MiB) return `${(bytes / UNITS.MiB).toFixed(1)} MiB`;
  if (bytes >= UNITS.KiB) return `${(bytes / UNITS.KiB).toFixed(1)} KiB`;
  return `${bytes} B`;
}
