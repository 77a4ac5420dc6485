/**
 * `severityLevel` as the integer Log Analytics stores, from the name the export writes
 * (`"severityLevel": "Warning"`). An integer 0-4 is taken as is, since it already is that value.
 *
 * @returns 0 Verbose, 1 Information, 2 Warning, 3 Error, 4 Critical; undefined for anything else.
 */
export function severityLevel(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 4 ? value : undefined;
  switch (value) {
    case 'Verbose':
      return 0;
    case 'Information':
      return 1;
    case 'Warning':
      return 2;
    case 'Error':
      return 3;
    case 'Critical':
      return 4;
    default:
      return undefined;
  }
}
