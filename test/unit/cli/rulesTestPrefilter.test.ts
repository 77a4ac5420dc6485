import { join } from 'node:path';

import { runCli } from '../../../cli/main';

// A blob with malformed rows (lines 2, 4, 6) among well-formed ones; no row holds the query's literal.
const BROKEN = join(__dirname, '../../fixtures/broken');
const QUERY = 'requests | where name == "GET /nowhere"';
const MATCHING = 'requests | where name == "GET /navigation/60e825f9"';

async function run(argv: readonly string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await runCli([...argv], { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  } finally {
    for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

describe('rules test and the prefilter', () => {
  it('skips rows no rule could match, so their problems go unreported, and says so', async () => {
    const { code, out, err } = await run(['rules', 'test', '--query', QUERY, BROKEN]);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out[out.length - 1]).toBe(
      '1 blob of requests, 7 rows (0 parsed, the others no rule could match; --validate reads every row), 0 matches, 0 malformed rows',
    );
  });

  it.each([
    ['--validate', ['--validate'], {}],
    ['RULES_PREFILTER=off', [], { RULES_PREFILTER: 'off' }],
  ])('with %s parses every row and reports each malformed one', async (_name, flags, env) => {
    const { code, out, err } = await run(['rules', 'test', '--query', QUERY, ...flags, BROKEN], env);
    expect(code).toBe(1);
    expect(err.map((l) => l.replace(/^.*\.blob:/, ''))).toEqual([
      expect.stringMatching(/^2: invalid JSON/),
      expect.stringMatching(/^4: expected a JSON object, found an array/),
      expect.stringMatching(/^6: row has type key "event"/),
    ]);
    expect(out[out.length - 1]).toBe('1 blob of requests, 4 records, 0 matches, 3 malformed rows');
  });

  it('prints the same matches with the prefilter on and off', async () => {
    const on = await run(['rules', 'test', '--query', MATCHING, BROKEN]);
    const off = await run(['rules', 'test', '--query', MATCHING, BROKEN], { RULES_PREFILTER: 'off' });
    const matches = (lines: readonly string[]) => lines.filter((l) => l.includes('\t'));
    expect(matches(on.out)).toHaveLength(3);
    expect(matches(on.out)).toEqual(matches(off.out));
  });
});
