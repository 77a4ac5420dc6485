import { asArray, asNumber, asObject } from './read';

/**
 * `customDimensions` from `context.custom.dimensions`, an array of single-key objects
 * (`[{"InstanceKey":"60e825f9"},{"CpuTimeInMs":"10"}]`).
 *
 * NOTE: keys are whatever the application sent, `__proto__` and `constructor` included. The result has
 * no prototype, so such a key is a plain own property, nothing is inherited (`dims.toString` is
 * undefined), and writing `__proto__` cannot reach `Object.prototype`.
 *
 * @returns the dimensions, or undefined when the row has no string-valued dimension: an empty `[]`
 *   reads as absent. Values that are not strings (the export writes strings only) are skipped; when a
 *   key repeats, the last value wins.
 */
export function customDimensions(dimensions: unknown): Record<string, string> | undefined {
  const entries = asArray(dimensions);
  if (entries === undefined) return undefined;
  let result: Record<string, string> | undefined;
  for (const entry of entries) {
    const pairs = asObject(entry);
    if (pairs === undefined) continue;
    for (const key in pairs) {
      const value = pairs[key];
      if (typeof value !== 'string' || !Object.prototype.hasOwnProperty.call(pairs, key)) continue;
      if (result === undefined) result = Object.create(null) as Record<string, string>;
      result[key] = value;
    }
  }
  return result;
}

/**
 * `customMeasurements` from `context.custom.metrics`, an array of single-key objects whose value is a
 * metric-value object (`[{"testMetric0":{"value":-1.2345678,"count":1.0,...}}]`): name -> `value`.
 * Same null-prototype guarantee as {@link customDimensions}.
 *
 * @returns the measurements, or undefined when there is no entry with a numeric `value`.
 */
export function customMeasurements(metrics: unknown): Record<string, number> | undefined {
  const entries = asArray(metrics);
  if (entries === undefined) return undefined;
  let result: Record<string, number> | undefined;
  for (const entry of entries) {
    const pairs = asObject(entry);
    if (pairs === undefined) continue;
    for (const key in pairs) {
      if (!Object.prototype.hasOwnProperty.call(pairs, key)) continue;
      const value = asNumber(asObject(pairs[key])?.value);
      if (value === undefined) continue;
      if (result === undefined) result = Object.create(null) as Record<string, number>;
      result[key] = value;
    }
  }
  return result;
}
