// Keys whose numbers the exporter writes as .NET doubles ("1.0", "16878750.0").
const FLOAT_KEYS = new Set(['value', 'min', 'max', 'stdDev', 'sampledValue', 'sum', 'samplingRate']);

/**
 * JSON.stringify, except that whole numbers in metric-value objects and `samplingRate` keep the
 * ".0" real exports carry, and `count` does too inside a metric-value object (while an item's own
 * `count` stays an integer). Readers must not depend on either spelling; the fixtures have both.
 */
export function serializeRow(value: unknown): string {
  return write(value, false);
}

function write(value: unknown, asFloat: boolean): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) return 'null';
      return asFloat && Number.isInteger(value) ? `${value}.0` : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map((item) => write(item, false)).join(',')}]`;
      const record = value as Record<string, unknown>;
      const isMetricValue = 'stdDev' in record || 'sampledValue' in record;
      const parts: string[] = [];
      for (const key of Object.keys(record)) {
        const item = record[key];
        if (item === undefined || typeof item === 'function') continue;
        const float = FLOAT_KEYS.has(key) || (isMetricValue && key === 'count');
        parts.push(`${JSON.stringify(key)}:${write(item, float)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return 'null';
  }
}
