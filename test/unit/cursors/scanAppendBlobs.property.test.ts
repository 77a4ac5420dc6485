import fc from 'fast-check';

import {
  type LogRange,
  type RangeOutcome,
  scanAppendBlobs,
  type ScanDeps,
} from '../../../shared/core/cursors/scanAppendBlobs';
import { silentLogger } from '../../../shared/core/logger';
import { MemoryAppendBlobs, MemoryCursorStore } from '../../helpers/memoryAppendBlobs';

const CONTAINER = 'insights-logs-apprequests';
const BLOB =
  'resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP/y=2026/m=12/d=02/h=01/m=00/PT1H.json';
const LEASE = 60_000;

type Command =
  | { readonly kind: 'append'; readonly upTo: number }
  | { readonly kind: 'scan'; readonly who: 'one' | 'two at once' }
  | { readonly kind: 'crash' }
  | { readonly kind: 'wait'; readonly ms: number };

/** A never-settling promise: what a scanner that died goes on to do. */
const dead = (): Promise<never> => new Promise<never>(() => {});

/** Scanner settings for one container, with what each test varies. */
function scanDeps(
  source: MemoryAppendBlobs,
  store: MemoryCursorStore,
  now: () => number,
  overrides: Partial<ScanDeps> & Pick<ScanDeps, 'process'>,
): ScanDeps {
  return {
    containers: [CONTAINER],
    source,
    store,
    growsUntil: () => Date.UTC(2026, 11, 2, 3, 0),
    now,
    owner: 'scanner',
    leaseMs: LEASE,
    maxRangeBytes: 1 << 20,
    maxLineBytes: 1 << 20,
    budgetMs: 60_000,
    logger: silentLogger,
    ...overrides,
  };
}

describe('scanAppendBlobs', () => {
  it('applies every line exactly once, whatever the appends, scans, crashes and concurrent scanners (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { minLength: 1, maxLength: 25 }),
        fc.array(
          fc.oneof(
            fc.double({ min: 0, max: 1, noNaN: true }).map((f): Command => ({ kind: 'append', upTo: f })),
            fc.constantFrom<Command>(
              { kind: 'scan', who: 'one' },
              { kind: 'scan', who: 'two at once' },
              { kind: 'crash' },
            ),
            fc.integer({ min: 1, max: 3 * LEASE }).map((ms): Command => ({ kind: 'wait', ms })),
          ),
          { maxLength: 30 },
        ),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 8, max: 1_500 }),
        async (texts, commands, chunkBytes, maxRangeBytes) => {
          // Arrange
          let clock = Date.UTC(2026, 11, 2, 1, 5);
          const content = Buffer.from(texts.map((s, id) => `${JSON.stringify({ id, s })}\n`).join(''), 'utf8');
          const blobs = new MemoryAppendBlobs(() => clock, chunkBytes);
          const store = new MemoryCursorStore();
          const applied = new Map<string, number[]>();
          let appended = 0;
          let crashNext = false;
          let owners = 0;
          const process = async (range: LogRange): Promise<RangeOutcome> => {
            const parts: Buffer[] = [];
            for await (const chunk of range.content) parts.push(Buffer.from(chunk));
            const ids = Buffer.concat(parts)
              .toString('utf8')
              .split('\n')
              .filter((l) => l !== '')
              .map((l) => (JSON.parse(l) as { id: number }).id);
            // The alert book: a delivery key applied once; the same key always holds the same lines.
            const key = range.version();
            const earlier = applied.get(key);
            if (earlier) expect(earlier).toEqual(ids);
            else applied.set(key, ids);
            if (crashNext) {
              crashNext = false;
              return dead();
            }
            return { ok: true, records: ids.length, emails: 0 };
          };
          // Lines here are under 500 bytes; ranges are at least this plus one.
          const deps = (): ScanDeps =>
            scanDeps(blobs, store, () => clock, {
              process,
              owner: `scanner-${++owners}`,
              maxRangeBytes,
              maxLineBytes: 500,
            });
          const appendTo = (end: number) => {
            if (end > appended) blobs.append(CONTAINER, BLOB, content.subarray(appended, end));
            appended = Math.max(appended, end);
          };

          // Act
          for (const command of commands) {
            if (command.kind === 'append') appendTo(Math.round(command.upTo * content.length));
            if (command.kind === 'crash') crashNext = true;
            if (command.kind === 'wait') clock += command.ms;
            if (command.kind === 'scan' && command.who === 'one')
              await Promise.race([scanAppendBlobs(deps()), settle()]);
            if (command.kind === 'scan' && command.who === 'two at once')
              await Promise.race([Promise.all([scanAppendBlobs(deps()), scanAppendBlobs(deps())]), settle()]);
          }
          appendTo(content.length);
          crashNext = false;
          clock += 2 * LEASE;
          for (
            let i = 0;
            i < 60 && (store.cursors.get(`${CONTAINER}/${BLOB}`)?.cursor.offset ?? 0) < content.length;
            i++
          ) {
            await scanAppendBlobs(deps());
            clock += 2 * LEASE;
          }

          // Assert: the distinct deliveries hold every line once, in order
          const all = [...applied.values()].flat().sort((a, b) => a - b);
          expect(all).toEqual(texts.map((_, id) => id));
          expect(store.cursors.get(`${CONTAINER}/${BLOB}`)?.cursor.offset).toBe(content.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('starts over from 0 when the blob was re-created, and closes a finished blob', async () => {
    // Arrange
    let clock = Date.UTC(2026, 11, 2, 1, 5);
    const blobs = new MemoryAppendBlobs(() => clock);
    const store = new MemoryCursorStore();
    const seen: string[] = [];
    const warnings: string[] = [];
    const deps = (): ScanDeps =>
      scanDeps(blobs, store, () => clock, {
        process: async (range) => {
          for await (const chunk of range.content) seen.push(Buffer.from(chunk).toString());
          return { ok: true, records: 0, emails: 0 };
        },
        logger: { ...silentLogger, warn: (m) => warnings.push(m) },
      });
    blobs.append(CONTAINER, BLOB, Buffer.from('{"a":1}\n{"a":2}\n'));
    await scanAppendBlobs(deps());

    // Act
    clock += 1_000;
    blobs.recreate(CONTAINER, BLOB, Buffer.from('{"b":1}\n'));
    const again = await scanAppendBlobs(deps());
    clock = Date.UTC(2026, 11, 2, 4, 0);
    const late = await scanAppendBlobs(deps());
    const after = await scanAppendBlobs(deps());

    // Assert
    expect(seen.join('')).toBe('{"a":1}\n{"a":2}\n{"b":1}\n');
    expect(again.restarted).toBe(1);
    expect(warnings.join('\n')).toMatch(/re-created/);
    expect(late.closed).toBe(1);
    expect(after).toMatchObject({ ranges: 0, closed: 0 });
  });

  it('holds back a partial last line, a multi-byte character cut in two included, until it is complete', async () => {
    // Arrange
    const clock = Date.UTC(2026, 11, 2, 1, 5);
    const blobs = new MemoryAppendBlobs(() => clock, 3);
    const store = new MemoryCursorStore();
    const ranges: { version: string; text: string }[] = [];
    const deps = (): ScanDeps =>
      scanDeps(blobs, store, () => clock, {
        process: async (range) => {
          const parts: Buffer[] = [];
          for await (const chunk of range.content) parts.push(Buffer.from(chunk));
          ranges.push({ text: Buffer.concat(parts).toString('utf8'), version: range.version() });
          return { ok: true, records: 0, emails: 0 };
        },
      });
    const line = Buffer.from('{"s":"é😀"}\n', 'utf8');

    // Act: the first append stops inside the emoji's four bytes
    blobs.append(CONTAINER, BLOB, Buffer.concat([line, line.subarray(0, 9)]));
    await scanAppendBlobs(deps());
    blobs.append(CONTAINER, BLOB, line.subarray(9));
    await scanAppendBlobs(deps());

    // Assert
    expect(ranges).toEqual([
      { text: '{"s":"é😀"}\n', version: `bytes=0-${line.length}` },
      { text: '{"s":"é😀"}\n', version: `bytes=${line.length}-${2 * line.length}` },
    ]);
  });
});

/** Lets a scan that died (a never-settling promise) be abandoned once everything else has run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
