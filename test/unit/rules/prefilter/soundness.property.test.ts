import { checkSoundness } from './soundness.property';

// A few hundred cases here; test/scale/rawFilterSoundness.scale.test.ts runs thousands.
test("a row any rule keeps always passes that rule's raw filter, in both formats", () => {
  const tally = checkSoundness(300);
  // The generators must exercise the property, not only compile errors and misses.
  expect(tally.compiled).toBeGreaterThan(tally.rules / 2);
  expect(tally.matches).toBeGreaterThan(50);
  expect(tally.withNeedles).toBeGreaterThan(100);
  // Rules with ago() and now() among them, keeping rows: their comparisons give no needle.
  expect(tally.clockMatches).toBeGreaterThan(5);
});
