import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { htmlFileName } from '../../../cli/htmlEmailFiles';
import { runCli } from '../../../cli/main';

const FIXTURES = join(__dirname, '../../fixtures/rulesFile');

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('export-alerts rules test --render --html', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alert-html-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes each e-mail it would send as an HTML file, one per e-mail, and says where', async () => {
    // Act
    const html = join(dir, 'emails');
    const { code, out } = await run(
      'rules',
      'test',
      '--file',
      join(FIXTURES, 'rules.json'),
      '--render',
      '--html',
      html,
      join(FIXTURES, 'export'),
    );

    // Assert
    expect(code).toBe(0);
    const files = (await readdir(html)).sort();
    expect(files).toEqual([
      '001-2-customDimensions.tenant-acme.html',
      '002-other-r5xx.html',
      '003-shop-cart.html',
      '004-shop-r5xx.html',
    ]);
    expect(out.filter((l) => l.startsWith('HTML: '))).toEqual(files.map((f) => `HTML: ${join(html, f)}`));
    const first = await readFile(join(html, files[0] ?? ''), 'utf8');
    expect(first.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(first).toContain('FIRING &nbsp;&middot;&nbsp; SEV2 WARNING');
  });

  it('refuses --html with --json, whose stdout is records only', async () => {
    const { code, err } = await run('rules', 'test', '--query', 'requests', '--json', '--html', dir, dir);

    expect(code).toBe(2);
    expect(err[0]).toContain('--json and --html do not go together');
  });
});

describe('htmlFileName', () => {
  it.each([
    [1, 'shop-prod/checkout-5xx', '', '001-shop-prod-checkout-5xx.html'],
    [2, '*/2', 'tenant=acme', '002-2-tenant-acme.html'],
    [12, 'shop/r', '../../etc/passwd', '012-shop-r-etc-passwd.html'],
    [3, 'shop/r', '<script>alert("x")</script>\n', '003-shop-r-script-alert-x-script.html'],
    [4, 'shop/r', '.hidden', '004-shop-r-hidden.html'],
    [5, 'shop/r', 'x'.repeat(10_000), `005-shop-r-${'x'.repeat(60)}.html`],
    [1000, 'shop/r', '(no GroupBy)', '1000-shop-r-no-GroupBy.html'],
  ])('names e-mail %i of rule %j %#', (n, rule, group, name) => {
    expect(htmlFileName(n, rule, group)).toBe(name);
  });
});
