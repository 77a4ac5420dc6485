import type { TelemetryRecord } from '../../../shared/core/export/telemetryRecord';
import type { RecordSource } from '../../../shared/core/export/toRecords';
import { toRecords } from '../../../shared/core/export/toRecords';

const ROW_KEYS =
  '"request", "basicException", "event", "message", "remoteDependency", "view", "clientPerformance", "availability", "metric", "performanceCounter"';

function requestRow(
  context: Record<string, unknown> = {},
  item: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    request: [{ id: 'r1', name: 'GET /', count: 1, responseCode: 200, success: true, ...item }],
    internal: { data: { id: 'item-1', documentVersion: '1.61' } },
    context: { data: { eventTime: '2024-03-05T13:00:00.1234567Z', samplingRate: 100 }, ...context },
  };
}

function records(document: Record<string, unknown>, source?: RecordSource): TelemetryRecord[] {
  const result = toRecords(document, source);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function onlyColumns(document: Record<string, unknown>, source?: RecordSource): TelemetryRecord['columns'] {
  const all = records(document, source);
  expect(all).toHaveLength(1);
  return (all[0] as TelemetryRecord).columns;
}

describe('toRecords: which table a row belongs to', () => {
  it.each([
    ['request', 'requests'],
    ['basicException', 'exceptions'],
    ['event', 'customEvents'],
    ['message', 'traces'],
    ['remoteDependency', 'dependencies'],
    ['view', 'pageViews'],
    ['clientPerformance', 'browserTimings'],
    ['availability', 'availabilityResults'],
  ])('reads a "%s" row into %s, whatever the key order', (rowKey, table) => {
    // Arrange: the type key last, as no sample has it, to prove the lookup is by name.
    const document = { context: {}, internal: {}, [rowKey]: [{ count: 1 }] };

    // Act
    const result = records(document);

    // Assert
    expect(result.map((r) => r.table)).toEqual([table]);
  });

  it('fails a row with no telemetry type key, naming the keys it has', () => {
    expect(toRecords({ requests: [], internal: {}, context: {} })).toEqual({
      ok: false,
      error: `row has no telemetry type key (found keys "requests", "internal", "context"); expected one of ${ROW_KEYS}`,
    });
  });

  it('fails a row whose type key disagrees with its folder', () => {
    expect(toRecords(requestRow(), { telemetryType: 'Exceptions' })).toEqual({
      ok: false,
      error:
        'row has type key "request" but its blob is in the Exceptions folder, whose rows have "basicException" ' +
        '(found keys "request", "internal", "context")',
    });
  });

  it('accepts a row whose type key agrees with its folder', () => {
    expect(records(requestRow(), { telemetryType: 'Requests' })).toHaveLength(1);
  });

  it('fails a row with two telemetry type keys', () => {
    expect(toRecords({ request: [], event: [] })).toEqual({
      ok: false,
      error: 'row has two telemetry type keys, "request" and "event"; expected exactly one',
    });
  });

  it('lists at most ten keys, each cut to 40 characters, in the error', () => {
    const document: Record<string, unknown> = {};
    for (let i = 0; i < 12; i++) document[`k${i}${'x'.repeat(50)}`] = i;

    const result = toRecords(document);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain(`"k0${'x'.repeat(38)}…"`);
    expect(result.error).toContain('and 2 more');
    expect(result.error).not.toContain('k10');
  });

  it.each([
    [{ request: { id: 'r' } }, '"request" is an object, expected an array of items'],
    [{ request: null }, '"request" is null, expected an array of items'],
    [{ request: [{ id: 'r' }, 7] }, 'request[1] is a number, expected an object'],
    [{ basicException: ['oops'] }, 'basicException[0] is a string, expected an object'],
    [
      { performanceCounter: [{ categoryName: 'Processor' }] },
      'performanceCounter[0] has no "<counterName>": {"value": n} entry',
    ],
  ])('fails a malformed type array: %j', (document, error) => {
    expect(toRecords(document)).toEqual({ ok: false, error });
  });

  it('returns no records for an empty type array', () => {
    expect(toRecords({ request: [] })).toEqual({ ok: true, value: [] });
    expect(toRecords({ basicException: [] })).toEqual({ ok: true, value: [] });
  });
});

describe('toRecords: record envelope', () => {
  it('keeps the row as raw and the line from the source', () => {
    const document = requestRow();

    const [record] = records(document, { line: 7 });

    expect(record?.raw).toBe(document);
    expect(record?.line).toBe(7);
  });

  it('has no line property when the source gives none', () => {
    const [record] = records(requestRow());

    expect(record !== undefined && 'line' in record).toBe(false);
  });

  it('gives the instrumentation key its dashes back, as Log Analytics shows it', () => {
    expect(onlyColumns(requestRow(), { instrumentationKey: '0F1E2D3C4B5A69788796A5B4C3D2E1F0' }).iKey).toBe(
      '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    );
    expect(onlyColumns(requestRow(), { instrumentationKey: 'not-a-key' }).iKey).toBe('not-a-key');
  });

  it('gives each item of a multi-item row its own columns object', () => {
    const document = requestRow({}, {});
    (document.request as unknown[]).push({ id: 'r2', count: 1 });

    const [first, second] = records(document);

    expect(first?.columns).not.toBe(second?.columns);
    expect([first?.columns.id, second?.columns.id]).toEqual(['r1', 'r2']);
    expect(second?.columns.name).toBeUndefined();
  });
});

describe('toRecords: custom dimensions with hostile keys', () => {
  const row = (): Record<string, unknown> =>
    JSON.parse(
      '{"event":[{"name":"e","count":1}],"context":{"custom":{' +
        '"dimensions":[{"__proto__":"own value"},{"constructor":"c"},{"toString":"t"},{"__proto__x":{"polluted":"yes"}}],' +
        '"metrics":[{"__proto__":{"value":1.5}},{"hasOwnProperty":{"value":2}}]}}}',
    ) as Record<string, unknown>;

  it('keeps __proto__ as an own key of customDimensions', () => {
    const dims = onlyColumns(row()).customDimensions as Record<string, unknown>;

    expect(Object.prototype.hasOwnProperty.call(dims, '__proto__')).toBe(true);
    expect(dims['__proto__']).toBe('own value');
    expect(dims.constructor).toBe('c');
    expect(dims.toString).toBe('t');
    expect(Object.keys(dims)).toEqual(['__proto__', 'constructor', 'toString']);
  });

  it('inherits nothing: a key the row lacks reads as undefined', () => {
    const dims = onlyColumns(row()).customDimensions as Record<string, unknown>;

    expect(Object.getPrototypeOf(dims)).toBeNull();
    expect(dims.valueOf).toBeUndefined();
  });

  it('keeps __proto__ as an own key of customMeasurements', () => {
    const measurements = onlyColumns(row()).customMeasurements as Record<string, unknown>;

    expect(Object.prototype.hasOwnProperty.call(measurements, '__proto__')).toBe(true);
    expect(measurements['__proto__']).toBe(1.5);
    expect(measurements.hasOwnProperty).toBe(2);
  });

  it('does not pollute Object.prototype', () => {
    onlyColumns(row());

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'own value')).toBe(false);
  });
});

describe('toRecords: values the export lacks or has the wrong type for are absent', () => {
  it('leaves out every column of a missing context section', () => {
    const columns = onlyColumns({ request: [{ id: 'r1' }] });

    expect(columns).toEqual({ itemType: 'request', id: 'r1' });
  });

  it.each([
    ['success as a string', {}, { success: 'true' }, 'success'],
    ['a fractional responseCode', {}, { responseCode: 200.5 }, 'resultCode'],
    ['durationMetric as a string', {}, { durationMetric: 'fast' }, 'duration'],
    ['a durationMetric without numbers', {}, { durationMetric: { value: '12' } }, 'duration'],
    ['eventTime as a number', { data: { eventTime: 1709643600000 } }, {}, 'timestamp'],
    ['an impossible eventTime', { data: { eventTime: '2024-02-30T00:00:00Z' } }, {}, 'timestamp'],
    ['eventTime with an offset', { data: { eventTime: '2024-03-05T13:00:00+01:00' } }, {}, 'timestamp'],
    ['user as a string', { user: 'alice' }, {}, 'user_Id'],
    ['location.city as a number', { location: { city: 7 } }, {}, 'client_City'],
    ['empty dimensions', { custom: { dimensions: [] } }, {}, 'customDimensions'],
    [
      'only non-string dimension values',
      { custom: { dimensions: [{ n: 5 }, { o: {} }, 'x'] } },
      {},
      'customDimensions',
    ],
    ['metrics without a value', { custom: { metrics: [{ m: { count: 1 } }] } }, {}, 'customMeasurements'],
  ])('%s', (_name, context, item, column) => {
    const columns = onlyColumns(requestRow(context, item));

    expect(Object.keys(columns)).not.toContain(column);
  });

  it('keeps a string responseCode as is', () => {
    expect(onlyColumns(requestRow({}, { responseCode: '200' })).resultCode).toBe('200');
  });

  it('falls back to 100/samplingRate for itemCount when the item has no usable count', () => {
    const columns = onlyColumns(requestRow({ data: { samplingRate: 4 } }, { count: '25' }));

    expect(columns.itemCount).toBe(25);
  });

  it('has no itemCount when neither count nor samplingRate is there', () => {
    expect(Object.keys(onlyColumns({ event: [{ name: 'e' }] }))).not.toContain('itemCount');
  });

  it('keeps an empty string the export wrote, since that is its value', () => {
    expect(onlyColumns(requestRow({ location: { city: '' } })).client_City).toBe('');
  });

  it('prefers osVersion and browserVersion, falling back to os and browser', () => {
    const columns = onlyColumns(requestRow({ device: { os: 'Windows', browser: 'Edge' } }));

    expect([columns.client_OS, columns.client_Browser]).toEqual(['Windows', 'Edge']);
  });
});

describe('toRecords: traces severityLevel', () => {
  it.each([
    ['Verbose', 0],
    ['Information', 1],
    ['Warning', 2],
    ['Error', 3],
    ['Critical', 4],
    [3, 3],
  ])('reads %j as %i', (level, expected) => {
    expect(onlyColumns({ message: [{ raw: 'x', severityLevel: level }] }).severityLevel).toBe(expected);
  });

  it.each(['warning', 'Fatal', '', 5, 1.5, null])('leaves out %j', (level) => {
    expect(Object.keys(onlyColumns({ message: [{ raw: 'x', severityLevel: level }] }))).not.toContain('severityLevel');
  });
});

describe('toRecords: availability success', () => {
  it.each([
    [{ result: 'Pass' }, true],
    [{ result: 'Fail', availabilityMetric: { value: 1 } }, false],
    [{ availabilityMetric: { value: 1 } }, true],
    [{ availabilityMetric: { value: 0 } }, false],
    [{ result: 'Unknown', availabilityMetric: { value: 0.5 } }, undefined],
  ])('%j gives success %s', (item, expected) => {
    expect(onlyColumns({ availability: [item] }).success).toBe(expected);
  });
});
