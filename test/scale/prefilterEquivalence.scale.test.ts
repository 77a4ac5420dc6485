import { checkEquivalence } from '../unit/rules/prefilter/prefilterEquivalence.property';

// Issue 12: the prefilter-equivalence property with many cases (the default suite runs a couple of hundred).
test("the prefilter never changes a rule's matches over thousands of generated rule sets and blobs", async () => {
  const tally = await checkEquivalence(Number(process.env.PREFILTER_RUNS ?? 3_000));
  expect(tally.prefiltered).toBeGreaterThan(tally.cases / 4);
  expect(tally.rowsSkipped).toBeGreaterThan(0);
});
