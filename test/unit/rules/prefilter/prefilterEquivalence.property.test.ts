import { type BlobCase, checkEquivalence, disagreement, readCase } from './prefilterEquivalence.property';

// A couple of hundred cases here; test/scale/prefilterEquivalence.scale.test.ts runs thousands.
test("a rule set's prefilter gives every rule the same matches as reading every row, in both formats", async () => {
  const tally = await checkEquivalence(200);
  // The generators must exercise the law: sets with a prefilter that skips rows and still finds matches.
  expect(tally.prefiltered).toBeGreaterThan(tally.cases / 4);
  expect(tally.rowsSkipped).toBeGreaterThan(100);
  expect(tally.matches).toBeGreaterThan(50);
  expect(tally.gaveUp).toBeGreaterThan(0);
  expect(tally.tinyChunks).toBeGreaterThan(10);
});

const ROW = '{"TimeGenerated":"2024-03-05T12:30:00Z","Type":"AppRequests","Name":"acme"}';
const RULE = 'AppRequests | where Name has "acme"';

/** The stats of both readings when they disagree on rowsSeen, for the failure message. */
async function rowsSeenOf(c: BlobCase): Promise<{ on: number; off: number }> {
  const [on, off] = [await readCase(c, true), await readCase(c, false)];
  return { on: on.stream.stats.rowsSeen, off: off.stream.stats.rowsSeen };
}

// Found by the property: a line of nothing but Unicode whitespace is malformed to parseExportRow (it
// only trims after an ASCII blank), so the prefilter, skipping it, must count it as a row seen too.
test.each(['\u00a0', '\ufeff', '\u3000'])(
  'counts a line of nothing but %j as a row seen with the prefilter too',
  async (blank) => {
    const c: BlobCase = {
      queries: [RULE],
      format: 'workspace',
      blob: Buffer.from(`${ROW}\n${blank}\n`),
      chunks: [],
      adapt: undefined,
    };

    expect(await rowsSeenOf(c)).toEqual({ on: 2, off: 2 });
  },
);

test('counts a BOM-only first line cut by a one-byte chunk as a row seen with the prefilter too', async () => {
  // NOTE: both splitters only strip a BOM whole in the first chunk; cut, it stays as line 1's text.
  const c: BlobCase = {
    queries: [RULE],
    format: 'workspace',
    blob: Buffer.from(`\ufeff\n${ROW}\n`),
    chunks: [1],
    adapt: undefined,
  };

  expect(await rowsSeenOf(c)).toEqual({ on: 2, off: 2 });
});

test('a difference in rows seen is a disagreement', async () => {
  const c: BlobCase = {
    queries: [RULE],
    format: 'workspace',
    blob: Buffer.from(`${ROW}\nnot json\n\u00a0\n`),
    chunks: [],
    adapt: undefined,
  };
  const [on, off] = [await readCase(c, true), await readCase(c, false)];

  expect(disagreement(c, on, off)).toBeUndefined();
  expect(
    disagreement(c, on, {
      ...off,
      stream: { ...off.stream, stats: { ...off.stream.stats, rowsSeen: off.stream.stats.rowsSeen + 1 } },
    }),
  ).toMatch(/^rowsSeen/);
});
