import { BlobReceipts } from '../../../local/blobReceipts';
import type { BlobHandler } from '../../../local/blobTrigger';
import { pollContainer } from '../../../local/blobWatcher';
import { readBlobHostSettings } from '../../../local/hostJson';
import { invocationSlots } from '../../../local/invocationSlots';
import { createTestContainer, testTableClient } from '../../harness/storage';

/** A promise the test settles itself. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the local host’s blob invocations in parallel', () => {
  it('runs as many blob handlers at once as host.json’s maxDegreeOfParallelism (4), never more, until all 8 are done', async () => {
    // Arrange: 8 blobs, and a handler that holds each invocation until the test lets it go
    const { maxDegreeOfParallelism } = readBlobHostSettings();
    const container = await createTestContainer('concurrency');
    for (let i = 0; i < 8; i++) await container.getBlockBlobClient(`blob-${i}`).upload('x', 1);
    const receipts = new BlobReceipts(testTableClient('receipts'), 'exportBlobReceived', container.containerName);
    await receipts.load();
    const held: { name: string; release: () => void }[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    let started = deferred();
    let wantStarted = 4;
    const handler: BlobHandler = async (_blob, context) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const gate = deferred();
      held.push({ name: String(context.triggerMetadata?.['name']), release: gate.resolve });
      if (held.length === wantStarted) started.resolve();
      await gate.promise;
      inFlight--;
      return 'ok';
    };

    // Act: poll; once 4 are in flight, release one at a time and wait for the next to start
    const poll = pollContainer({
      functionName: 'exportBlobReceived',
      container,
      receipts,
      handler,
      maxAttempts: 5,
      slots: invocationSlots(maxDegreeOfParallelism),
      now: () => new Date('2026-11-25T13:47:12Z'),
      log: () => {},
    });
    await started.promise;
    const inFlightAtFirst = inFlight;
    for (let next = 5; next <= 8; next++) {
      started = deferred();
      wantStarted = next;
      held[next - 5]?.release();
      await started.promise;
      expect(inFlight).toBe(4);
    }
    for (const h of held.slice(4)) h.release();
    const report = await poll;

    // Assert
    expect(maxDegreeOfParallelism).toBe(4);
    expect(inFlightAtFirst).toBe(4);
    expect(mostInFlight).toBe(4);
    expect(held.map((h) => h.name).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `blob-${i}`));
    expect(report.invocations.map((v) => `${v.name}:${v.outcome}`)).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `blob-${i}:done`),
    );
    await container.delete();
  });
});
