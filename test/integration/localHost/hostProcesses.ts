import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = join(__dirname, '../../..');

/**
 * Brings dist/ up to date, as `npm start` does before it runs: these tests start the compiled host in
 * processes of its own. Type errors elsewhere in the tree still leave every file compiled.
 */
export async function buildDist(): Promise<void> {
  await new Promise<void>((resolve) => {
    execFile(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT }, () => resolve());
  });
  if (!existsSync(join(ROOT, 'dist/local/main.js'))) throw new Error('npm run build wrote no dist/local/main.js');
}

/** A process a test started, with its output as lines and its end as promises. */
export interface TestProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly out: string[];
  readonly err: string[];
  /** Resolves with the first stdout line matching `pattern`; rejects if the process ends first. */
  line(pattern: RegExp): Promise<string>;
  /** The process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Its stdout and stderr have closed too: every process that inherited them (Azurite inherits the
   * stderr of whoever starts it) has exited as well.
   */
  readonly closed: Promise<void>;
}

export function startProcess(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): TestProcess {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env ?? { PATH: process.env['PATH'] ?? '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  const err: string[] = [];
  const waiting: { pattern: RegExp; resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    out.push(line);
    for (const w of waiting.filter((w) => w.pattern.test(line))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(line);
    }
  });
  createInterface({ input: child.stderr }).on('line', (line) => err.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  void closed.then(() => {
    for (const w of waiting.splice(0))
      w.reject(new Error(`process ended before printing ${w.pattern}; stderr:\n${err.join('\n')}`));
  });
  return {
    child,
    pid: child.pid ?? -1,
    out,
    err,
    line: (pattern) => {
      const seen = out.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => waiting.push({ pattern, resolve, reject }));
    },
    exited,
    closed,
  };
}
