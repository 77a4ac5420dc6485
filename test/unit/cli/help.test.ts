import { allCommands, commandPath } from '../../../cli/commandTree';
import { runCli } from '../../../cli/main';
import { buildProgram } from '../../../cli/program';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every command path of the tree, `export-alerts` included: `export-alerts rules add`, … */
function commandPaths(): string[] {
  const program = buildProgram(
    {
      io: { out: () => {}, err: () => {} },
      env: {},
      now: () => new Date(0),
      sleep: async () => {},
      interactive: false,
    },
    () => {},
  );
  return allCommands(program)
    .filter((c) => c.name() !== 'help')
    .map(commandPath);
}

describe('export-alerts --help', () => {
  it.each(commandPaths().map((path) => [path]))('%s --help prints its own usage and exits 0', async (path) => {
    // Act
    const words = path.split(' ').slice(1);
    const { code, out, err } = await run(...words, '--help');

    // Assert
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toMatch(new RegExp(`^Usage: ${path.replace(/ /g, ' ')} `));
    if (words.length > 0 && !['rules'].includes(path.split(' ').at(-1) ?? '')) expect(out).toMatch(/\nExamples?:\n/);
  });

  it('prints the version with --version', async () => {
    expect(await run('--version')).toEqual({ code: 0, out: '0.1.0', err: '' });
  });

  it.each([
    [['rules', 'list', '--bogus'], "export-alerts rules list: unknown option '--bogus'", 'export-alerts rules list'],
    [['rules', 'frob'], "export-alerts rules: unknown command 'frob'", 'export-alerts rules'],
    [
      ['rules', 'add', '--scope', 's'],
      "export-alerts rules add: required option '--id <id>' not specified",
      'export-alerts rules add',
    ],
  ])('%j is one line of usage error and a pointer to the help, exit 2', async (argv, message, command) => {
    expect(await run(...argv)).toEqual({ code: 2, out: '', err: `${message}\n(run '${command} --help' for usage)` });
  });

  it('shows the rules help on stderr with exit 2 when no subcommand is given', async () => {
    const { code, out, err } = await run('rules');
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toMatch(/^Usage: export-alerts rules \[options\] \[command\]/);
  });
});
