import { stateRowKey, TableAlertBook } from '../../shared/adapters/storage/tableAlertBook';
import { tableKey } from '../../shared/adapters/storage/tableKeys';
import { testTableClient } from '../harness/storage';
import { delivery, MIN, request, ruleOf, T0, world } from '../unit/alerts/alertWorld';

/** Bytes an entity takes as the Table service counts them: UTF-16 strings, 8 bytes a number. */
function entityBytes(entity: Record<string, unknown>): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(entity)) {
    if (key === 'etag' || key === 'odata.metadata') continue;
    bytes += key.length * 2 + (typeof value === 'string' ? value.length * 2 : 8);
  }
  return bytes;
}

describe('alert state over 10,000 deliveries, on Azurite', () => {
  it.each([
    ['ThrottleMinutes 0, every delivery fires', { ThrottleMinutes: 0 }],
    // A day-long window is full (window + a day of late data) after 2,880 deliveries: flat after that.
    // A week-long one grows the same ~18 bytes a minute until its 11,525 minutes, ~205 KB.
    [
      'a day-long window that never reaches its threshold',
      { ThrottleMinutes: 0, Threshold: 1_000_000, WindowMinutes: 24 * 60 },
    ],
  ])('keeps the group state bounded: %s', async (_name, policy) => {
    // Arrange
    const table = testTableClient('scalestate');
    const w = world(new TableAlertBook(table, async () => {}));
    const rule = ruleOf(policy);
    const sizes: number[] = [];

    // Act: one delivery a minute, each with one match, names of real length.
    for (let i = 0; i < 10_000; i++) {
      w.clock = T0 + i * MIN;
      await w.deliver([rule], [request({ timestamp: new Date(w.clock - MIN) })], delivery(i, w.clock));
      if (i % 2_000 === 1_999) {
        sizes.push(
          entityBytes(await table.getEntity<Record<string, unknown>>(tableKey('shop-prod/errors'), stateRowKey(''))),
        );
      }
    }

    // Assert: under one entity's 1 MiB, and flat once the window and late-data slack are full.
    process.stdout.write(`state entity after 2,000 … 10,000 deliveries (${_name}): ${sizes.join(', ')} bytes\n`);
    expect(Math.max(...sizes)).toBeLessThan(1024 * 1024);
    expect((sizes[4] as number) - (sizes[3] as number)).toBeLessThan(2_000);
  });
});
