import { collectDigest, EMPTY_MEMORY, sameMemory } from '../../../shared/core/health/collectDigest';
import type { SourceHealth } from '../../../shared/core/health/sourceHealth';

function source(failures: number, poisoned: number): SourceHealth {
  return {
    status: { app: 'shop', type: 'AppRequests', source: 'diagnosticSettings', ring: [], failing: [] },
    deliveredHours: [],
    totals: { failures, poisoned },
  };
}

const NOTHING_ELSE = { invalidRules: [], rejected: { alerts: [], total: 0 }, configuration: [] };

describe('collectDigest', () => {
  it.each([
    ['nothing said before: all of it', undefined, [7, 1], { failures: 7, poisoned: 1 }],
    ['said 5 and 1: the 2 since', [5, 1], [7, 1], { failures: 2, poisoned: 0 }],
    [
      'totals below what was said (the entity was written anew): all of it',
      [9, 2],
      [3, 1],
      { failures: 3, poisoned: 1 },
    ],
    ['no new failure: nothing', [7, 1], [7, 1], undefined],
  ] as const)('counts failures since the last digest: %s', (_, said, totals, expected) => {
    // Arrange: what the first digest of [said] remembered
    const memory =
      said === undefined
        ? EMPTY_MEMORY
        : collectDigest({ sources: [source(said[0], said[1])], ...NOTHING_ELSE }, EMPTY_MEMORY).memory;

    // Act
    const { items } = collectDigest({ sources: [source(totals[0], totals[1])], ...NOTHING_ELSE }, memory);

    // Assert
    expect(items.failing.map((f) => ({ failures: f.failures, poisoned: f.poisoned }))[0]).toEqual(expected);
  });

  it('lists a configuration problem once, and again only after it was gone', () => {
    // Arrange
    const problem = ["container 'am-x' does not exist"];
    const run = (configuration: string[], memory = EMPTY_MEMORY) =>
      collectDigest({ sources: [], ...NOTHING_ELSE, configuration }, memory);

    // Act
    const first = run(problem);
    const still = run(problem, first.memory);
    const gone = run([], still.memory);
    const back = run(problem, gone.memory);

    // Assert
    expect([first.count, still.count, gone.count, back.count]).toEqual([1, 0, 0, 1]);
    expect(sameMemory(first.memory, still.memory)).toBe(true);
    expect(sameMemory(still.memory, gone.memory)).toBe(false);
  });
});
