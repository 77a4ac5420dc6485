/**
 * The exit codes of `export-alerts`, documented in the README ("Command line") and in `--help`. Scripts
 * and CI jobs branch on them, so a code keeps its meaning once published.
 */
export const EXIT = {
  /** Done, nothing to report. */
  ok: 0,
  /** Done, with findings: invalid rules, malformed rows, blobs skipped or failed, a plan not applied. */
  findings: 1,
  /** The command line was wrong: unknown command or option, a missing or malformed value. */
  usage: 2,
  /** Storage could not be reached or refused the credentials. */
  storageUnreachable: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  findings: invalid rules, malformed rows, blobs skipped or failed
  2  usage: unknown command or option, a missing or malformed value
  3  storage unreachable or credentials refused`;
