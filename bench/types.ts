/** What every benchmark section gets from the runner. */
export interface BenchContext {
  /** Skip the slow parts (the 1 GiB runs); for a quick look, not for published figures. */
  readonly quick: boolean;
  /** Where generated inputs live and are reused (`bench/.data/`, git-ignored). */
  readonly dataDir: string;
  /** Progress for the operator; goes to stderr so stdout stays the report. */
  readonly log: (line: string) => void;
}

/** A section of the report: one markdown table plus notes saying how it was measured. */
export interface BenchSection {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly notes?: readonly string[];
}

/** A benchmark module registered in `run.ts`. */
export interface BenchModule {
  readonly description: string;
  readonly run: (ctx: BenchContext) => Promise<BenchSection>;
}
