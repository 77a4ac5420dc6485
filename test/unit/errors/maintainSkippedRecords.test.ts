import type { AlertRecord } from '../../../shared/core/alerts/alertRecord';
import { StoredEntitiesSkippedError, StoredStateError } from '../../../shared/core/errors';
import { MemoryAlertBook } from '../../helpers/memoryAlertBook';
import { delivery, logCollector, MIN, request, ruleOf, world } from '../alerts/alertWorld';

const DAY = 24 * 60 * MIN;

/** A book whose listing, like the table's, skips a record that does not read and reports it at the end. */
class BookWithUnreadableRecord extends MemoryAlertBook {
  override async *listOpen(): AsyncIterable<AlertRecord> {
    yield* super.listOpen();
    throw new StoredEntitiesSkippedError([
      new StoredStateError({ table: 'AlertState', partitionKey: 'shop', rowKey: 'd~bad' }, 'V', 'is 2, newer'),
    ]);
  }
}

describe('alert maintenance and records that do not read', () => {
  it('re-drives the others, reports the skipped one once, and still expires', async () => {
    // Arrange
    const book = new BookWithUnreadableRecord();
    const w = world(book);
    w.mailer.script = [{ fail: 'retryable' }];
    await w.deliver([ruleOf()], [request()], delivery(1));
    const logger = logCollector();

    // Act
    w.clock += 8 * DAY;
    const summary = await w.maintain([], logger);

    // Assert
    expect(summary).toMatchObject({ open: 1, givenUp: 1, expiredRecords: 1 });
    const skipped = logger.errors.filter((e) => e.includes("RowKey 'd~bad'"));
    expect(skipped).toEqual([
      "alert maintenance: 1 stored entity skipped, not readable (repair or delete them): table AlertState, PartitionKey 'shop', RowKey 'd~bad': V is 2, newer",
    ]);
  });

  it('fails the run on any other listing failure', async () => {
    // Arrange
    const book = new MemoryAlertBook();
    book.listOpen = async function* () {
      await Promise.resolve();
      yield* [];
      throw new Error('storage is down');
    };
    const w = world(book);

    // Act
    const run = w.maintain([], logCollector());

    // Assert
    await expect(run).rejects.toThrow('storage is down');
  });
});
