import { BlobServiceClient } from '@azure/storage-blob';

import { startLocalHost } from '../../../local/localHost';
import { testConnectionString } from '../../harness/storage';
import { collectLog, isolatedSettings, receiptsTableName } from './localHostWorld';
import { ManualClock } from './manualClock';

const INTERVAL = 2_000;

describe('the local host’s container poller on a manual clock', () => {
  async function hostWithClock() {
    const clock = new ManualClock('2026-11-25T13:47:12.000Z');
    const settings = isolatedSettings();
    const { lines, log } = collectLog();
    const host = await startLocalHost({
      settings,
      pollIntervalMs: INTERVAL,
      clock,
      receiptsTable: receiptsTableName(),
      log,
      timers: [],
    });
    const container = BlobServiceClient.fromConnectionString(testConnectionString()).getContainerClient(
      settings['EXPORT_CONTAINER'] as string,
    );
    /** Moves the clock on by `ms` and waits for the scheduled poll that brings. */
    const pollAfter = async (ms: number) => {
      const poll = host.nextPoll();
      clock.advance(ms);
      return poll;
    };
    return { clock, host, container, lines, pollAfter };
  }

  it('polls at start, then one interval after each poll ends, and not before', async () => {
    // Arrange: the poll at start is over, so the next one is armed
    const { host, clock, container, pollAfter } = await hostWithClock();
    try {
      await host.processedOnce();
      await container.getBlockBlobClient('not-export/a.txt').upload('x', 1);

      // Act: 1 ms short of the interval, then the interval
      clock.advance(INTERVAL - 1);
      const armedEarly = clock.pending;
      const onTime = await pollAfter(1);

      // Assert: still armed, not fired, 1 ms early; on time it handled the new blob and armed again
      expect(armedEarly).toBe(1);
      expect(onTime).toMatchObject({
        listed: 1,
        invocations: [{ name: 'not-export/a.txt', attempt: 1, outcome: 'done' }],
      });
      expect(clock.pending).toBe(1);
    } finally {
      await host.stop();
    }
  });

  it('says once that storage fails however many polls fail, says when it answers again, and keeps polling', async () => {
    // Arrange
    const { host, container, lines, pollAfter } = await hostWithClock();
    try {
      await host.processedOnce();
      await container.delete();

      // Act: three scheduled polls without the container, then one with it back
      const failures = [];
      for (let i = 0; i < 3; i++) failures.push(await pollAfter(INTERVAL).catch((error: unknown) => error));
      await container.create();
      const back = await pollAfter(INTERVAL);

      // Assert
      expect(failures).toEqual([
        expect.objectContaining({ statusCode: 404 }),
        expect.objectContaining({ statusCode: 404 }),
        expect.objectContaining({ statusCode: 404 }),
      ]);
      expect(back.listed).toBe(0);
      expect(
        lines
          .filter((l) => l.source === 'host' && !l.text.includes('watching container'))
          .map((l) => `${l.level}: ${l.text}`),
      ).toEqual([
        `error: could not poll container '${container.containerName}': The specified container does not exist. (ContainerNotFound)`,
        'info: storage answers again; watching',
      ]);
    } finally {
      await host.stop();
    }
  });

  it('stops: no poll after stop, and a waiter for the next poll is told it will not come', async () => {
    const { host, clock } = await hostWithClock();
    await host.processedOnce();
    const waiting = host.nextPoll().catch((error: unknown) => error);

    await host.stop();

    expect(await waiting).toEqual(new Error('the local host stopped before its next poll'));
    expect(clock.pending).toBe(0);
    await expect(host.processedOnce()).rejects.toThrow('the local host is stopped');
  });
});
