import fc from 'fast-check';

import { FUTURE_SKEW_MINUTES } from '../../../shared/core/alerts/alertState';
import {
  groupValuesOf,
  MatchCollector,
  MAX_GROUP_VALUE_CHARS,
  MAX_GROUPS_PER_RULE,
  OVERFLOW_GROUP,
} from '../../../shared/core/alerts/matchCollector';
import { MIN, request, ruleOf, T0 } from './alertWorld';

const minute = (ms: number) => Math.floor(ms / MIN);

describe('MatchCollector', () => {
  it('counts an event in its own minute when plausible, and a wrong-clock or timeless one in the deposit minute', () => {
    // Arrange
    const collector = new MatchCollector([ruleOf()], T0, T0);

    // Act
    collector.add(request({ timestamp: new Date(T0 - 3 * MIN) }));
    collector.add(request({ timestamp: new Date(Date.UTC(2031, 0, 1)) }));
    collector.add(request({ timestamp: new Date(T0 + (FUTURE_SKEW_MINUTES + 1) * MIN) }));
    collector.add(request({ timestamp: new Date(Number.NaN) }));

    // Assert
    const [bucket] = collector.all();
    expect(Object.fromEntries(bucket!.minutes)).toEqual({ [minute(T0 - 3 * MIN)]: 1, [minute(T0)]: 3 });
    expect(bucket!.rows).toBe(4);
  });

  it('weighs matches by itemCount, and keeps the earliest MaxEvents', () => {
    const collector = new MatchCollector([ruleOf({ MaxEvents: 2 })], T0, T0);
    for (const offset of [5, 1, 3, 2]) collector.add(request({ timestamp: new Date(T0 - offset * MIN), itemCount: 4 }));
    const [bucket] = collector.all();
    expect(bucket!.weighted).toBe(16);
    expect(bucket!.events.map((e) => (e.columns['timestamp'] as Date).getTime())).toEqual([T0 - 5 * MIN, T0 - 3 * MIN]);
  });

  it('runs the rules at the evaluation time it was given, which ago() counts from, not the deposit time', () => {
    // Arrange
    const rule = ruleOf({ Query: 'requests | where timestamp > ago(5m)' });
    const collector = new MatchCollector([rule], T0, T0 + 10 * MIN);

    // Act
    for (const offset of [4, 6, 9]) collector.add(request({ timestamp: new Date(T0 + offset * MIN) }));

    // Assert
    expect(collector.countsPerRule()).toEqual({ 'shop-prod/errors': 2 });
  });

  it(`folds the groups past the first ${MAX_GROUPS_PER_RULE} into one overflow group`, () => {
    const collector = new MatchCollector([ruleOf({ GroupBy: 'customDimensions.visitor' })], T0, T0);
    for (let i = 0; i < MAX_GROUPS_PER_RULE + 100; i++)
      collector.add(request({ customDimensions: { visitor: `v${i}` } }));
    const buckets = collector.all();
    expect(buckets.length).toBe(MAX_GROUPS_PER_RULE + 1);
    expect(buckets.find((b) => b.groupKey === OVERFLOW_GROUP)?.rows).toBe(100);
  });

  it('never throws on a GroupBy value nested deep or huge, and keeps its key short (property)', () => {
    const rule = ruleOf({ GroupBy: 'customDimensions.payload' });
    const deep = (depth: number): unknown => {
      let value: unknown = 'x';
      for (let i = 0; i < depth; i++) value = { a: value };
      return value;
    };
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: 20_000 }).map(deep),
          fc.integer({ min: 0, max: 200_000 }).map((n) => 'y'.repeat(n)),
          fc.array(fc.jsonValue(), { maxLength: 50 }),
          fc.jsonValue(),
        ),
        (payload) => {
          const values = groupValuesOf(rule, request({ customDimensions: { payload } as never }));
          expect(values['customDimensions.payload']?.length).toBeLessThanOrEqual(MAX_GROUP_VALUE_CHARS + 1);
        },
      ),
      { numRuns: 60 },
    );
  });
});
