import { compileRule } from '../../../shared/core/rules/alertRule';
import { withSubMillisecondTicks } from '../../../shared/core/rules/kqlDatetime';
import { compiled, NOW, problemsOf, record } from './ruleHelpers';

const MIN = 60_000;
const at = (ms: number) => record({ timestamp: new Date(ms) });

describe('ago() and now(), counted from the evaluation time the caller passes', () => {
  it.each([
    { condition: 'timestamp > ago(1h)', event: '59 min before', time: NOW - 59 * MIN, kept: true },
    { condition: 'timestamp > ago(1h)', event: '61 min before', time: NOW - 61 * MIN, kept: false },
    { condition: 'timestamp > ago(1h)', event: '60 min before', time: NOW - 60 * MIN, kept: false },
    { condition: 'timestamp >= ago(1h)', event: '60 min before', time: NOW - 60 * MIN, kept: true },
    { condition: 'ago(10m) < timestamp', event: '9 min before', time: NOW - 9 * MIN, kept: true },
    { condition: 'timestamp <= now()', event: 'at', time: NOW, kept: true },
    { condition: 'timestamp < now()', event: 'at', time: NOW, kept: false },
    { condition: 'timestamp > now(-5m)', event: '4 min before', time: NOW - 4 * MIN, kept: true },
    { condition: 'timestamp > now(-5m)', event: '6 min before', time: NOW - 6 * MIN, kept: false },
    { condition: 'timestamp < now(1d)', event: '23 h after', time: NOW + 23 * 60 * MIN, kept: true },
    { condition: 'timestamp > ago(-1h)', event: '30 min after', time: NOW + 30 * MIN, kept: false },
    { condition: 'timestamp between (ago(1h) .. now())', event: '30 min before', time: NOW - 30 * MIN, kept: true },
    { condition: 'timestamp between (ago(1h) .. now())', event: '1 ms after', time: NOW + 1, kept: false },
    { condition: 'timestamp !between (ago(1h) .. now())', event: '2 h before', time: NOW - 2 * 60 * MIN, kept: true },
    { condition: 'timestamp > ago(36500d)', event: 'in 1990, long', time: Date.UTC(1990, 0, 1), kept: true },
    { condition: 'timestamp > ago(1.5s)', event: '1,499 ms before', time: NOW - 1499, kept: true },
    { condition: 'timestamp > ago(1.5s)', event: '1,500 ms before', time: NOW - 1500, kept: false },
  ])('$condition with an event $event now → $kept', ({ condition, time, kept }) => {
    // Arrange
    const rule = compiled(`requests | where ${condition}`);

    // Act
    const result = rule.predicate(at(time), NOW);

    // Assert
    expect(result).toBe(kept);
  });

  it('gives one compiled rule a new answer for each evaluation time, never a time frozen when it compiled', () => {
    // Arrange: the rule catalog keeps a compiled rule for RULES_CACHE_SECONDS and more.
    const rule = compiled('requests | where timestamp > ago(5m)');
    const event = at(NOW - 4 * MIN);

    // Act
    const answers = [NOW, NOW + 2 * MIN, NOW - 10 * MIN].map((now) => rule.predicate(event, now));

    // Assert
    expect(answers).toEqual([true, false, true]);
  });

  it('compares at 100 ns ticks: an event one tick before ago(1tick) is not after it', () => {
    // Arrange: 12:59:59.9999999Z is one tick before NOW.
    const event = record({ timestamp: withSubMillisecondTicks(new Date(NOW - 1), 9999) });

    // Act
    const results = ['timestamp >= ago(1tick)', 'timestamp > ago(1tick)', 'timestamp > ago(2tick)'].map((c) =>
      compiled(`requests | where ${c}`).predicate(event, NOW),
    );

    // Assert
    expect(results).toEqual([true, false, true]);
  });

  it('prints now() with Kusto’s seven digits', () => {
    expect(
      compiled('requests | where tostring(now(-1tick)) == "2024-03-05T12:59:59.9999999Z"').predicate(record(), NOW),
    ).toBe(true);
  });

  it('drops a record without a time, as any comparison with null', () => {
    expect(compiled('requests | where timestamp > ago(1h)').predicate(record(), NOW)).toBe(false);
  });

  it('says which queries read the clock, and leaves the others free of it', () => {
    // Arrange
    const withClock = compiled('requests | where name == "x" or timestamp > ago(1h)');
    const without = compiled('requests | where name == "x"');

    // Act
    const kept = [NOW, Number.NaN].map((now) => without.predicate(record({ name: 'x' }), now));

    // Assert
    expect([withClock.readsClock, without.readsClock]).toEqual([true, false]);
    expect(kept).toEqual([true, true]);
  });

  it('carries readsClock to the compiled rule', () => {
    const rule = compileRule({
      partitionKey: 'shop',
      rowKey: 'recent',
      Query: 'requests | where timestamp > ago(1h)',
      Recipients: 'ops@example.com',
    });
    expect(rule.ok && rule.value.readsClock).toBe(true);
    expect(rule.ok && rule.value.matches(at(NOW - MIN), NOW)).toBe(true);
  });
});

describe('ago() and now() diagnostics', () => {
  it.each([
    ['ago(5)', ['line 1, col 34: expected a timespan such as 1h, 5m or 30s, not 5']],
    ['ago()', ["line 1, col 30: The function 'ago' expects 1 argument."]],
    ['now() - 1h', ["line 1, col 36: operator '-' is not supported in alert rules: write ago(1h)"]],
    ['now() + 1h', ["line 1, col 36: operator '+' is not supported in alert rules: write now(1h)"]],
  ])('timestamp > %s', (call, expected) => {
    expect(problemsOf(`requests | where timestamp > ${call}`)).toEqual(expected);
  });
});
