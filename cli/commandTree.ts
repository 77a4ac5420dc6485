import type { CommandUnknownOpts } from '@commander-js/extra-typings';

/** `export-alerts rules add`: the words that run a command. */
export function commandPath(command: CommandUnknownOpts): string {
  const names: string[] = [];
  for (let c: CommandUnknownOpts | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The command and every command below it, depth first. */
export function allCommands(root: CommandUnknownOpts): CommandUnknownOpts[] {
  return [root, ...root.commands.flatMap((c) => allCommands(c))];
}
