import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { stringify } from 'yaml';

import { runCli } from '../../../cli/main';

const FIXTURES = join(__dirname, '../../fixtures/rulesFile');
const EXPORT = join(FIXTURES, 'export');

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { env: {} });
  return { code, out, err };
}

async function yamlFile(name: string, text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'rules-')), name);
  await writeFile(path, text);
  return path;
}

describe('export-alerts rules test --file, YAML', () => {
  it('back-tests the YAML spelling of a rules file exactly as its JSON one', async () => {
    // Arrange
    const json = join(FIXTURES, 'rules.json');
    const yaml = await yamlFile('rules.yaml', stringify(JSON.parse(await readFile(json, 'utf8'))));

    // Act
    const fromJson = await run('rules', 'test', '--file', json, EXPORT);
    const fromYaml = await run('rules', 'test', '--file', yaml, EXPORT);

    // Assert
    expect(fromYaml).toEqual(fromJson);
    expect(fromYaml.out.length).toBeGreaterThan(5);
  });

  it('reports a problem of a YAML file, without its extension too, on its line', async () => {
    // Arrange
    const path = await yamlFile(
      'rules',
      '# shop\n- PartitionKey: shop\n  RowKey: ok\n  Query: requests | where true\n  Recipients: ops@example.com\n' +
        '- PartitionKey: shop\n  RowKey: bad\n  Query: requests | where true\n  Recipients: ops@example.com\n  Severity: 9\n',
    );

    // Act
    const { code, err } = await run('rules', 'test', '--file', path, EXPORT);

    // Assert
    expect(code).toBe(1);
    expect(err).toContain(`${path}:6: rule #2 (shop/bad): Severity must be a whole number 0–4, found 9`);
  });
});
