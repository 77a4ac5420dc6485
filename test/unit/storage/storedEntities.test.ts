import { recordEntity, recordOf, stateEntity, stateOf } from '../../../shared/adapters/storage/alertEntities';
import { cursorEntity, cursorOf } from '../../../shared/adapters/storage/cursorEntity';
import { EntityReader, type StoredEntity } from '../../../shared/adapters/storage/storedEntity';
import type { AlertRecord } from '../../../shared/core/alerts/alertRecord';
import { EMPTY_STATE } from '../../../shared/core/alerts/alertState';
import type { ExportCursor } from '../../../shared/core/cursors/exportCursor';
import { StoredStateError } from '../../../shared/core/errors';

const RECORD: AlertRecord = {
  ruleKey: 'shop/errors',
  recordKey: 'd~abc',
  groupKey: 'checkout',
  blobName: 'app_1/Requests/2026-12-02/10/a.blob',
  deliveryId: 'dlv',
  status: 'failed',
  recordedAt: Date.UTC(2026, 11, 2, 10),
  leaseUntil: Date.UTC(2026, 11, 2, 10, 5),
  attempts: 2,
  acceptedBatches: [0],
  email: { from: 'a@x', to: ['b@x'], subject: 's', text: 't', html: 'h', customArgs: { rule: 'r' }, headers: {} },
  line: { label: 'checkout', rows: 3, weighted: 3 },
};

const CURSOR: ExportCursor = {
  container: 'insights-logs-apprequests',
  blobName: 'resourceId=/x/y=2026/m=12/d=02/h=10/m=00/PT1H.json',
  offset: 1024,
  lines: 10,
  createdOn: Date.UTC(2026, 11, 2, 10),
  closed: false,
  updatedAt: Date.UTC(2026, 11, 2, 10, 1),
  claim: { from: 1024, to: 2048, lines: 5, until: Date.UTC(2026, 11, 2, 10, 6), owner: 'host-1' },
};

/** An entity as the SDK reads it back: Int64 as `{ value, type }`, DateTime as a Date. */
function asRead(entity: Record<string, unknown>): Record<string, unknown> {
  return { ...entity, etag: 'W/"1"' };
}

function without(entity: Record<string, unknown>, ...names: string[]): Record<string, unknown> {
  const copy = { ...entity };
  for (const name of names) delete copy[name];
  return copy;
}

function stored(entity: Record<string, unknown>): StoredEntity {
  return entity;
}

const recordRow = asRead(recordEntity('shop%2Ferrors', RECORD));
const cursorRow = asRead(cursorEntity(CURSOR));
const stateRow = asRead(stateEntity('shop%2Ferrors', 'g1', 'shop/errors', 'checkout', EMPTY_STATE, RECORD.recordedAt));

describe('stored entities: round trip and old shapes', () => {
  it('reads back what it writes', () => {
    expect(recordOf('AlertState', stored(recordRow))).toEqual(RECORD);
    expect(cursorOf('ExportCursors', stored(cursorRow))).toEqual(CURSOR);
    expect(stateOf('AlertState', stored(stateRow))).toEqual(EMPTY_STATE);
  });

  it('writes version 1 on every kind', () => {
    expect([recordRow['V'], cursorRow['V'], stateRow['V']]).toEqual([1, 1, 1]);
  });

  it.each<[string, () => unknown, unknown]>([
    ['a record', () => recordOf('AlertState', stored(without(recordRow, 'V'))), RECORD],
    ['a cursor', () => cursorOf('ExportCursors', stored(without(cursorRow, 'V'))), CURSOR],
    ['a state', () => stateOf('AlertState', stored(without(stateRow, 'V'))), EMPTY_STATE],
  ])('reads %s written before the version property as version 1', (_, read, expected) => {
    expect(read()).toEqual(expected);
  });
});

describe('stored entities: what does not read is a StoredStateError naming table, keys and property', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'a record without Status',
      () => recordOf('AlertState', stored(without(recordRow, 'Status'))),
      "table AlertState, PartitionKey 'shop%2Ferrors', RowKey 'd~abc': Status is missing, expected text",
    ],
    [
      'a record with an unknown Status',
      () => recordOf('AlertState', stored({ ...recordRow, Status: 'lost' })),
      "table AlertState, PartitionKey 'shop%2Ferrors', RowKey 'd~abc': Status is 'lost', expected one of counted, suppressed, covered, summarized, sending, sent, failed, rejected",
    ],
    [
      'a record whose Attempts is text',
      () => recordOf('AlertState', stored({ ...recordRow, Attempts: 'two' })),
      "table AlertState, PartitionKey 'shop%2Ferrors', RowKey 'd~abc': Attempts is text, expected a whole number",
    ],
    [
      'a record whose RecordedAt is no date',
      () => recordOf('AlertState', stored({ ...recordRow, RecordedAt: 'yesterday' })),
      "table AlertState, PartitionKey 'shop%2Ferrors', RowKey 'd~abc': RecordedAt is text, expected a date and time",
    ],
    [
      'a record whose Email is not JSON',
      () => recordOf('AlertState', stored({ ...recordRow, Email: '{"from":', EmailParts: 1 })),
      "table AlertState, PartitionKey 'shop%2Ferrors', RowKey 'd~abc': Email is not JSON",
    ],
    [
      'a record whose Email lacks its recipients',
      () =>
        recordOf('AlertState', stored({ ...recordRow, Email: '{"from":"a@x","subject":"s","text":"t","html":"h"}' })),
      "table AlertState, PartitionKey 'shop%2Ferrors', RowKey 'd~abc': Email has no list of addresses in 'to'",
    ],
    [
      'a record whose Line is no summary line',
      () => recordOf('AlertState', stored({ ...recordRow, Line: '[1,2]' })),
      "table AlertState, PartitionKey 'shop%2Ferrors', RowKey 'd~abc': Line is not a summary line (label, rows, weighted)",
    ],
    [
      'a record from a future version',
      () => recordOf('AlertState', stored({ ...recordRow, V: 3 })),
      "table AlertState, PartitionKey 'shop%2Ferrors', RowKey 'd~abc': V is 3, newer than this build reads (up to 2): written by a newer version of the app",
    ],
    [
      'a state without State',
      () => stateOf('AlertState', stored(without(stateRow, 'State', 'StateParts'))),
      "table AlertState, PartitionKey 'shop%2Ferrors', RowKey 'g1': State is missing",
    ],
    [
      'a state whose State is no alert state',
      () => stateOf('AlertState', stored({ ...stateRow, State: '{"v":9}' })),
      "table AlertState, PartitionKey 'shop%2Ferrors', RowKey 'g1': State does not read as an alert state: stored alert state has version 9",
    ],
    [
      'a state with half its parts',
      () => stateOf('AlertState', stored({ ...stateRow, StateParts: 2 })),
      "table AlertState, PartitionKey 'shop%2Ferrors', RowKey 'g1': State_1 of 2 is missing",
    ],
    [
      'a cursor without Offset',
      () => cursorOf('ExportCursors', stored(without(cursorRow, 'Offset'))),
      'Offset is missing, expected a whole number',
    ],
    [
      'a cursor whose Closed is text',
      () => cursorOf('ExportCursors', stored({ ...cursorRow, Closed: 'false' })),
      'Closed is text, expected true or false',
    ],
    [
      'a cursor whose claim lost its owner',
      () => cursorOf('ExportCursors', stored(without(cursorRow, 'ClaimOwner'))),
      'ClaimOwner is missing, expected text',
    ],
    [
      'a cursor from a future version',
      () => cursorOf('ExportCursors', stored({ ...cursorRow, V: 3 })),
      'V is 3, newer than this build reads (up to 1)',
    ],
    [
      'a cursor whose version is text',
      () => cursorOf('ExportCursors', stored({ ...cursorRow, V: 'one' })),
      'V is text, expected a version ≥ 1',
    ],
  ];

  it.each(cases)('%s', (_, read, message) => {
    // Act
    let thrown: unknown;
    try {
      read();
    } catch (error) {
      thrown = error;
    }

    // Assert
    expect(thrown).toBeInstanceOf(StoredStateError);
    expect((thrown as StoredStateError).code).toBe('STORED_STATE_INVALID');
    expect((thrown as StoredStateError).message).toContain(message);
  });

  it('names the property of a cursor so an operator finds it', () => {
    expect(() => cursorOf('ExportCursors', stored({ ...cursorRow, Lines: 1.5 }))).toThrow(
      expect.objectContaining({
        table: 'ExportCursors',
        partitionKey: 'insights-logs-apprequests',
        property: 'Lines',
      }) as Error,
    );
  });
});

describe('EntityReader', () => {
  it.each<[string, unknown, number]>([
    ['a number', 5, 5],
    ['an Int64 as the SDK reads it', { value: '1733133600000', type: 'Int64' }, 1733133600000],
    ['a BigInt', BigInt(7), 7],
  ])('reads a whole number stored as %s', (_, value, expected) => {
    expect(new EntityReader('T', { partitionKey: 'p', rowKey: 'r', N: value }, 1).integer('N')).toBe(expected);
  });

  it('counts a null property as missing', () => {
    expect(new EntityReader('T', { partitionKey: 'p', rowKey: 'r', N: null }, 1).optionalText('N')).toBeUndefined();
  });
});
