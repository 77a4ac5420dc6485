import type { Command, CommandUnknownOpts } from '@commander-js/extra-typings';

import type { CommandSite } from './commandSite';
import { allCommands } from './commandTree';
import { EXIT } from './exitCodes';

/** `export-alerts completion`: a bash completion script written from the command tree itself. */
export function registerCompletion(parent: Command, { ctx, run }: CommandSite): void {
  const command = parent
    .command('completion')
    .summary('print a bash completion script (zsh: with bashcompinit)')
    .description(
      'Prints a bash completion script for export-alerts: commands, subcommands and options, then file names. ' +
        'Load it in the current shell with `source <(export-alerts completion)`, or save it to your ' +
        'bash-completion folder. In zsh, run `autoload -U bashcompinit && bashcompinit` first.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ source <(npx export-alerts completion)\n' +
        '  $ npx export-alerts completion > ~/.local/share/bash-completion/completions/export-alerts',
    );
  command.action(() =>
    run(command, () => {
      let root: CommandUnknownOpts = command;
      while (root.parent) root = root.parent;
      ctx.io.out(bashCompletion(root));
      return Promise.resolve(EXIT.ok);
    }),
  );
}

/**
 * The script: one `case` arm per command path with the words that may follow it. The path is the
 * subcommand words typed so far; anything else (option values, file names) is passed over.
 */
export function bashCompletion(root: CommandUnknownOpts): string {
  const arms = allCommands(root).map((command) => {
    const path = pathBelowRoot(command);
    const words = [
      ...command.commands.map((c) => c.name()),
      ...command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined)),
      '--help',
    ];
    return `    '${path}') words='${[...new Set(words)].join(' ')}' ;;`;
  });
  const subcommands = allCommands(root)
    .filter((c) => c.commands.length > 0)
    .map((c) => `    '${pathBelowRoot(c)}') subs='${c.commands.map((s) => s.name()).join(' ')}' ;;`);
  return `# bash completion for ${root.name()}, written by \`${root.name()} completion\`
_export_alerts() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path='' subs words i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    subs=''
    case "$path" in
${subcommands.join('\n')}
    esac
    if [[ " $subs " == *" $w "* ]]; then path="\${path:+$path }$w"; fi
  done
  words=''
  case "$path" in
${arms.join('\n')}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$words" -- "$cur") $(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _export_alerts ${root.name()}
`;
}

function pathBelowRoot(command: CommandUnknownOpts): string {
  const names: string[] = [];
  for (let c: CommandUnknownOpts | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
