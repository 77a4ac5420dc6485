import { RestError } from '@azure/core-rest-pipeline';
import type { TableClient } from '@azure/data-tables';

import { isAlreadyExists, serviceCodeOf } from '../../../shared/adapters/storage/storageFailure';
import { BEING_DELETED_TRIES, BEING_DELETED_WAIT_MS, ensureTable } from '../../../shared/adapters/storage/tableReady';
import { StorageBeingDeletedError } from '../../../shared/core/errors';
import { createTestContainer, testTableClient } from '../../harness/storage';

async function failureOf(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to fail');
}

/** A table whose createTable answers 409 TableBeingDeleted `times` times: Azurite never does. */
function tableBeingDeleted(times: number): { table: TableClient; calls: () => number } {
  let calls = 0;
  const table = {
    tableName: 'AlertState',
    createTable: () => {
      calls++;
      if (calls > times) return Promise.resolve();
      const error = new RestError('{"odata.error":{"code":"TableBeingDeleted"}}', { statusCode: 409 });
      error.details = { errorCode: 'TableBeingDeleted' };
      return Promise.reject(error);
    },
  } as unknown as TableClient;
  return { table, calls: () => calls };
}

describe('storage failures against Azurite', () => {
  it('creates a table twice without complaint', async () => {
    // Arrange
    const table = testTableClient('twice');

    // Act
    await ensureTable(table);
    await ensureTable(table);

    // Assert
    await expect(table.createEntity({ partitionKey: 'p', rowKey: 'r' })).resolves.toBeDefined();
  });

  it('re-creates a table deleted a moment ago', async () => {
    // Arrange
    const table = testTableClient('recreate');
    await ensureTable(table);
    await table.deleteTable();

    // Act
    await ensureTable(table);

    // Assert
    await expect(table.createEntity({ partitionKey: 'p', rowKey: 'r' })).resolves.toBeDefined();
  });

  it('reads EntityAlreadyExists from a single create and from a transaction', async () => {
    // Arrange
    const table = testTableClient('exists');
    await ensureTable(table);
    await table.createEntity({ partitionKey: 'p', rowKey: 'r' });

    // Act
    const single = await failureOf(() => table.createEntity({ partitionKey: 'p', rowKey: 'r' }));
    const batch = await failureOf(() => table.submitTransaction([['create', { partitionKey: 'p', rowKey: 'r' }]]));

    // Assert
    expect([serviceCodeOf(single), isAlreadyExists(single)]).toEqual(['EntityAlreadyExists', true]);
    expect([serviceCodeOf(batch), isAlreadyExists(batch)]).toEqual(['EntityAlreadyExists', true]);
  });

  it('reads ContainerAlreadyExists from a second create', async () => {
    // Arrange
    const container = await createTestContainer('exists');

    // Act
    const error = await failureOf(() => container.create());

    // Assert
    expect([serviceCodeOf(error), isAlreadyExists(error)]).toEqual(['ContainerAlreadyExists', true]);
  });

  it('does not take a missing table for an existing entity', async () => {
    // Arrange
    const table = testTableClient('missing');

    // Act
    const error = await failureOf(() => table.createEntity({ partitionKey: 'p', rowKey: 'r' }));

    // Assert
    expect([serviceCodeOf(error), isAlreadyExists(error)]).toEqual(['TableNotFound', false]);
  });
});

describe('a table being deleted', () => {
  it('is waited for until it can be created', async () => {
    // Arrange
    const { table, calls } = tableBeingDeleted(2);
    const waits: number[] = [];

    // Act
    await ensureTable(table, (ms) => {
      waits.push(ms);
      return Promise.resolve();
    });

    // Assert
    expect(calls()).toBe(3);
    expect(waits).toEqual([BEING_DELETED_WAIT_MS, BEING_DELETED_WAIT_MS]);
  });

  it('fails with a clear message once the wait is over, never taken for an existing table', async () => {
    // Arrange
    const { table, calls } = tableBeingDeleted(Infinity);

    // Act
    const error = await failureOf(() => ensureTable(table, () => Promise.resolve()));

    // Assert
    expect(error).toBeInstanceOf(StorageBeingDeletedError);
    expect((error as StorageBeingDeletedError).message).toBe(
      'table AlertState is still being deleted after 60 s (409 TableBeingDeleted): wait until the deletion ends, or point the app at another table',
    );
    expect((error as StorageBeingDeletedError).cause).toBeInstanceOf(RestError);
    expect(calls()).toBe(BEING_DELETED_TRIES);
  });
});
