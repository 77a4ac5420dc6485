import { execFileSync } from 'node:child_process';

import { runCli } from '../../../cli/main';

async function script(): Promise<string> {
  const out: string[] = [];
  const code = await runCli(['completion'], { out: (l) => out.push(l), err: () => {} }, { env: {} });
  expect(code).toBe(0);
  return out.join('\n');
}

/** What bash offers after `words` with the cursor on the last one, through the real script. */
function complete(completion: string, words: readonly string[]): string[] {
  const line = words.map((w) => `'${w}'`).join(' ');
  const program = `${completion}\nCOMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _export_alerts; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', program], { cwd: __dirname, encoding: 'utf8' })
    .split('\n')
    .filter((w) => w !== '' && !w.endsWith('.ts'));
}

describe('export-alerts completion', () => {
  it('offers the commands, then a command’s subcommands, then its options', async () => {
    // Arrange
    const completion = await script();

    // Act and assert
    expect(complete(completion, ['export-alerts', 'r'])).toEqual(['read', 'rules', 'replay']);
    expect(complete(completion, ['export-alerts', 'rules', 'v'])).toEqual(['validate']);
    expect(complete(completion, ['export-alerts', 'rules', 'add', '--sc'])).toEqual(['--scope']);
    expect(complete(completion, ['export-alerts', 'purge', '--dry-run', '--a'])).toEqual(['--apply']);
  });
});
