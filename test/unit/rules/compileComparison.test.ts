import type { ColumnValue } from '../../../shared/core/export/telemetryRecord';
import { compileQuery } from '../../../shared/core/rules/compileQuery';
import { dimensions, keeps, record } from './ruleHelpers';

type Row = [condition: string, columns: Record<string, ColumnValue | undefined>, kept: boolean];
const table = (rows: Row[]): Row[] => rows;
const at = (iso: string): Date => new Date(iso);

describe.each([
  [
    'numbers compare as numbers',
    table([
      ['toint(resultCode) >= 500', { resultCode: '503' }, true],
      ['toint(resultCode) >= 500', { resultCode: '404' }, false],
      ['toint(resultCode) >= 500', { resultCode: '5xx' }, false],
      ['toint(resultCode) == 500', { resultCode: '500.9' }, true],
      ['itemCount == 2', { itemCount: 2 }, true],
      ['itemCount < 10', { itemCount: 9 }, true],
      ['itemCount <= 9', { itemCount: 9 }, true],
      ['itemCount > -3', { itemCount: 0 }, true],
      ['itemCount == 0x1F', { itemCount: 31 }, true],
      ['duration > 2.5', { duration: 2.51 }, true],
      ['duration >= 1e3', { duration: 1000 }, true],
    ]),
  ],
  [
    'a comparison with a missing (null) value, per the KQL null docs',
    table([
      ['itemCount == 2', {}, false],
      ['itemCount != 2', {}, true],
      ['itemCount < 2', {}, false],
      ['itemCount >= 2', {}, false],
      ['not(itemCount < 2)', {}, false],
      ['toint(resultCode) != 500', { resultCode: 'n/a' }, true],
      ['customDimensions.x == "a"', {}, false],
      ['customDimensions.x != "a"', {}, true],
      ['customDimensions.x != "a"', { customDimensions: dimensions({ x: 'a' }) }, false],
      ['success == true', {}, false],
      ['success != true', {}, true],
      ['timestamp > datetime(2000-01-01)', {}, false],
    ]),
  ],
  [
    'in and !in on numbers',
    table([
      ['itemCount in (1, 2)', { itemCount: 2 }, true],
      ['itemCount in (1, 2)', { itemCount: 3 }, false],
      ['itemCount in (1, 2)', {}, false],
      ['itemCount !in (1, 2)', {}, true],
      ['toint(resultCode) in (500, 503)', { resultCode: '503' }, true],
    ]),
  ],
  [
    'between, bounds included',
    table([
      ['itemCount between (1 .. 3)', { itemCount: 1 }, true],
      ['itemCount between (1 .. 3)', { itemCount: 3 }, true],
      ['itemCount between (1 .. 3)', { itemCount: 4 }, false],
      ['itemCount between (1 .. 3)', {}, false],
      ['itemCount !between (1 .. 3)', { itemCount: 4 }, true],
      ['itemCount !between (1 .. 3)', { itemCount: 2 }, false],
      ['itemCount !between (1 .. 3)', {}, false],
      ['duration between (100ms .. 2s)', { duration: 2000 }, true],
      ['duration between (100ms .. 2s)', { duration: 99.9 }, false],
      ['timestamp between (datetime(2024-03-05) .. 1d)', { timestamp: at('2024-03-05T23:59:59Z') }, true],
      ['timestamp between (datetime(2024-03-05) .. 1d)', { timestamp: at('2024-03-06T00:00:01Z') }, false],
      [
        'timestamp between (datetime(2024-03-05) .. datetime(2024-03-06))',
        { timestamp: at('2024-03-06T00:00:00Z') },
        true,
      ],
    ]),
  ],
  [
    'durations (milliseconds) against timespans',
    table([
      ['duration > 1.5s', { duration: 1501 }, true],
      ['duration > 1.5s', { duration: 1500 }, false],
      ['duration >= 5m', { duration: 300_000 }, true],
      ['duration < 100ms', { duration: 99 }, true],
      ['duration > time(00:00:02)', { duration: 2001 }, true],
      ['duration > time(00:00:02)', { duration: 1999 }, false],
      ['duration > 1d', { duration: 86_400_001 }, true],
      ['duration < 2h', { duration: 7_199_999 }, true],
      ['1s < duration', { duration: 1001 }, true],
      ['duration > 1000', { duration: 1001 }, true],
    ]),
  ],
  [
    'datetimes',
    table([
      ['timestamp > datetime(2024-03-05 13:00)', { timestamp: at('2024-03-05T13:00:01Z') }, true],
      ['timestamp > datetime(2024-03-05 13:00)', { timestamp: at('2024-03-05T12:59:59Z') }, false],
      ['timestamp == datetime(2024-03-05T13:00:00Z)', { timestamp: at('2024-03-05T13:00:00Z') }, true],
      ['timestamp == datetime(2024-03-05T15:00:00+02:00)', { timestamp: at('2024-03-05T13:00:00Z') }, true],
      ['timestamp < datetime(2024-03-05T13:00:00.5Z)', { timestamp: at('2024-03-05T13:00:00.499Z') }, true],
    ]),
  ],
  [
    'booleans',
    table([
      ['success == true', { success: true }, true],
      ['success == false', { success: true }, false],
      ['success', { success: true }, true],
      ['success', {}, false],
      ['not(success)', { success: false }, true],
      ['not(success)', {}, false],
    ]),
  ],
  [
    'dynamic values compare by their run-time type',
    table([
      ['customMeasurements.latency > 100', { customMeasurements: { latency: 250 } }, true],
      ['customMeasurements.latency > 100', { customMeasurements: { latency: '250' } }, false],
      ['customMeasurements.latency == "250"', { customMeasurements: { latency: 250 } }, false],
      ['customMeasurements.latency != "250"', { customMeasurements: { latency: 250 } }, true],
      [
        'customDimensions.tenant == customDimensions.owner',
        { customDimensions: dimensions({ tenant: 'a', owner: 'a' }) },
        true,
      ],
      ['customDimensions.tenant in ("acme", "contoso")', { customDimensions: dimensions({ tenant: 'acme' }) }, true],
      ['customDimensions.tenant !in ("acme")', {}, true],
      ['customDimensions.tenant in~ ("ACME")', { customDimensions: dimensions({ tenant: 'acme' }) }, true],
    ]),
  ],
])('%s', (_topic, rows) => {
  it.each(rows)('%s with %j → %s', (condition, columns, kept) => {
    expect(keeps(`requests | where ${condition}`, record(columns))).toBe(kept);
  });
});

describe('comparison type checks', () => {
  it.each([
    ['a string with a number', 'name == 1', 'cannot compare string with long: convert it first, e.g. toint(name)'],
    ['a string with a real', 'name != 1.5', 'cannot compare string with real: convert it first, e.g. todouble(name)'],
    [
      'a string in a list of numbers',
      'resultCode in (500)',
      'cannot compare string with long: convert it first, e.g. toint(resultCode)',
    ],
    [
      'a bool with a string',
      'success == "true"',
      'cannot compare bool with string: convert it first, e.g. tobool("true")',
    ],
    [
      'a customDimensions value with a bool',
      'customDimensions.ok == true',
      'customDimensions values are strings: convert before comparing with a bool, e.g. tobool(customDimensions.ok)',
    ],
  ])('rejects comparing %s', (_what, condition, message) => {
    const result = compileQuery(`requests | where ${condition}`);

    expect(result).toMatchObject({ ok: false, error: [{ message, code: 'RULE_TYPE_MISMATCH' }] });
  });

  it('reports each list item of the wrong type', () => {
    const result = compileQuery('requests | where resultCode in (500, "503", 504)');

    expect(result).toMatchObject({
      ok: false,
      error: [
        { column: 33, text: '500' },
        { column: 45, text: '504' },
      ],
    });
  });

  it('keeps the parser’s error for a timespan against a real column that is not a duration', () => {
    const result = compileQuery('customMetrics | where value > 1s');

    expect(result).toMatchObject({
      ok: false,
      error: [
        {
          column: 29,
          text: '>',
          code: 'KS106',
          message: "The operator '>' is not defined for the operand types real and timespan.",
        },
      ],
    });
  });
});
