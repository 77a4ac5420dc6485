import { checkSoundness } from '../unit/rules/prefilter/soundness.property';

// Issue 12 §1: the soundness property with many cases (the default suite runs a few hundred).
test('raw filters have no false negatives over thousands of generated rules and rows', () => {
  const tally = checkSoundness(Number(process.env.PREFILTER_RUNS ?? 5_000));
  expect(tally.tested).toBeGreaterThan(0);
});
