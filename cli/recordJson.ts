import { boundedStringify } from '../shared/core/json/boundedStringify';

/**
 * One record's columns as a JSON line for `--json`. Bounded like every stringified telemetry value (a
 * row nested 5,000 deep must not overflow the stack), with room for any row the reader lets through.
 */
export function recordJson(columns: object): string {
  return boundedStringify(columns, { maxChars: 16 * 1024 * 1024 });
}
