import { TableAlertBook } from '../../../shared/adapters/storage/tableAlertBook';
import { stateRowKey } from '../../../shared/adapters/storage/tableAlertBook';
import { TableCursorStore } from '../../../shared/adapters/storage/tableCursorStore';
import { tableKey } from '../../../shared/adapters/storage/tableKeys';
import { ensureTable } from '../../../shared/adapters/storage/tableReady';
import type { AlertRecord } from '../../../shared/core/alerts/alertRecord';
import { StoredEntitiesSkippedError, StoredStateError } from '../../../shared/core/errors';
import { testTableClient } from '../../harness/storage';

const T0 = Date.UTC(2026, 11, 2, 10);
const int64 = (n: number) => ({ value: String(n), type: 'Int64' as const });

/** A record as the app wrote it before entities carried a version (no `V`). */
function oldRecordEntity(
  rowKey: string,
  status = 'failed',
): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  return {
    partitionKey: tableKey('shop/errors'),
    rowKey,
    Kind: 'record',
    Rule: 'shop/errors',
    Group: 'checkout',
    Blob: 'shop_1/Requests/2026-12-02/10/a.blob',
    DeliveryId: 'dlv',
    Status: status,
    RecordedAt: new Date(T0),
    LeaseUntil: int64(T0),
    Attempts: 1,
    AcceptedBatches: '',
    Email: JSON.stringify({
      from: 'a@x.example',
      to: ['ops@x.example'],
      subject: 's',
      text: 't',
      html: 'h',
      customArgs: {},
      headers: {},
    }),
    EmailParts: 1,
  };
}

async function listed(book: TableAlertBook): Promise<{ records: AlertRecord[]; error: unknown }> {
  const records: AlertRecord[] = [];
  try {
    for await (const record of book.listOpen()) records.push(record);
  } catch (error) {
    return { records, error };
  }
  return { records, error: undefined };
}

describe('TableAlertBook reads entities of the shape before versions', () => {
  it('reads an old record and decides on an old state, then writes version 1', async () => {
    // Arrange
    const table = testTableClient('oldbook');
    await ensureTable(table);
    await table.createEntity(oldRecordEntity('d~old'));
    const state = JSON.stringify({ minutes: {}, suppressed: { rows: 0, weighted: 0 }, lastFiredAt: T0 });
    await table.createEntity({
      partitionKey: tableKey('shop/errors'),
      rowKey: stateRowKey('checkout'),
      Kind: 'state',
      Rule: 'shop/errors',
      Group: 'checkout',
      UpdatedAt: new Date(T0),
      State: state,
      StateParts: 1,
    });
    const book = new TableAlertBook(table);

    // Act
    const old = await book.get('shop/errors', 'd~old');
    let seen: unknown;
    await book.decide('shop/errors', 'checkout', 'd~new', (current) => {
      seen = current;
      return { state: current, record: { ...(old as AlertRecord), recordKey: 'd~new', status: 'counted' } };
    });

    // Assert
    expect(old).toMatchObject({ status: 'failed', blobName: 'shop_1/Requests/2026-12-02/10/a.blob', attempts: 1 });
    expect(seen).toMatchObject({ lastFiredAt: T0 });
    const written = await table.getEntity(tableKey('shop/errors'), stateRowKey('checkout'));
    expect(written['V']).toBe(1);
  });

  it('fails a read of a malformed record with the entity named', async () => {
    // Arrange
    const table = testTableClient('badbook');
    await ensureTable(table);
    await table.createEntity({ ...oldRecordEntity('d~bad'), Attempts: 'one' });
    const book = new TableAlertBook(table);

    // Act
    const read = book.get('shop/errors', 'd~bad');

    // Assert
    await expect(read).rejects.toThrow(StoredStateError);
    await expect(read).rejects.toThrow(
      `table ${table.tableName}, PartitionKey 'shop%2Ferrors', RowKey 'd~bad': Attempts is text, expected a whole number`,
    );
  });

  it('lists the open records that read and reports the one that does not once, at the end', async () => {
    // Arrange
    const table = testTableClient('skipbook');
    await ensureTable(table);
    await table.createEntity(oldRecordEntity('d~a'));
    await table.createEntity({ ...oldRecordEntity('d~b'), V: 3 });
    await table.createEntity(oldRecordEntity('d~c'));
    const book = new TableAlertBook(table);

    // Act
    const { records, error } = await listed(book);

    // Assert
    expect(records.map((r) => r.recordKey)).toEqual(['d~a', 'd~c']);
    expect(error).toBeInstanceOf(StoredEntitiesSkippedError);
    expect((error as StoredEntitiesSkippedError).skipped.map((e) => [e.rowKey, e.property])).toEqual([['d~b', 'V']]);
  });
});

describe('TableCursorStore reads entities of the shape before versions', () => {
  const container = 'insights-logs-apprequests';
  const blob = 'resourceId=/S/y=2026/m=12/d=02/h=10/m=00/PT1H.json';
  const oldCursor = {
    partitionKey: tableKey(container),
    rowKey: tableKey(blob),
    Container: container,
    Blob: blob,
    Offset: int64(2048),
    Lines: int64(12),
    CreatedOn: int64(T0),
    Closed: false,
    UpdatedAt: new Date(T0),
  };

  it('reads an old cursor and writes the next one as version 1', async () => {
    // Arrange
    const table = testTableClient('oldcursor');
    await ensureTable(table);
    await table.createEntity(oldCursor);
    const store = new TableCursorStore(table);

    // Act
    const stored = await store.get(container, blob);
    const written = stored && (await store.put({ ...stored.cursor, offset: 4096 }, stored.version));

    // Assert
    expect(stored?.cursor).toEqual({
      container,
      blobName: blob,
      offset: 2048,
      lines: 12,
      createdOn: T0,
      closed: false,
      updatedAt: T0,
    });
    expect(written).toBe(true);
    expect((await table.getEntity(tableKey(container), tableKey(blob)))['V']).toBe(1);
  });

  it('fails on a cursor whose offset is not a number, naming it', async () => {
    // Arrange
    const table = testTableClient('badcursor');
    await ensureTable(table);
    await table.createEntity({ ...oldCursor, Offset: 'far' });
    const store = new TableCursorStore(table);

    // Act
    const read = store.listOpen(container);

    // Assert
    await expect(read).rejects.toThrow(
      `table ${table.tableName}, PartitionKey '${container}', RowKey '${tableKey(blob)}': Offset is text, expected a whole number`,
    );
  });
});
