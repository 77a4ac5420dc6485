/** Where a command writes; tests pass collectors, the binary passes stdout and stderr. */
export interface CliIo {
  // Function properties, not methods: commands pass `io.out` around on its own.
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
