import { fork } from 'node:child_process';
import { join } from 'node:path';

import type { PassResult } from './readerVariants';

/** What rssProbe.ts prints for one reader variant. */
export interface ProbeReport {
  readonly variant: string;
  /** Measured passes (warm-ups excluded). */
  readonly runs: readonly (PassResult & { readonly ms: number })[];
  /** The kernel's high-water mark for this process (VmHWM; see peakRss.ts). */
  readonly maxRssBytes: number;
  /** Highest `process.memoryUsage().rss` seen by a 20 ms timer; misses peaks inside synchronous code. */
  readonly sampledPeakRssBytes: number;
  /** Set when a pass threw: the variant cannot handle this input. */
  readonly error?: string;
}

export interface ProbeRequest {
  readonly variant: string;
  readonly file: string;
  readonly type: string;
  readonly warmups: number;
  readonly runs: number;
}

/**
 * Runs `rssProbe.js` in a fresh Node process and returns its report. A probe that dies (out of
 * memory, signal) comes back as a report with `error`, never as a rejection, so a baseline that
 * cannot cope is a result, not a crash of the whole run.
 */
export function runProbe(request: ProbeRequest): Promise<ProbeReport> {
  const args = [request.variant, request.file, request.type, String(request.warmups), String(request.runs)];
  return forkJsonProbe<ProbeReport>(join(__dirname, 'rssProbe.js'), args, (error) => ({
    variant: request.variant,
    runs: [],
    maxRssBytes: Number.NaN,
    sampledPeakRssBytes: Number.NaN,
    error,
  }));
}

/**
 * Forks `script` with `args` and parses the last line it prints as JSON; when the child dies first,
 * `failed` turns the reason (exit code or signal, last stderr lines) into a report.
 */
export function forkJsonProbe<T>(script: string, args: readonly string[], failed: (error: string) => T): Promise<T> {
  const child = fork(script, [...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as T);
      } catch {
        const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
        const detail = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' ');
        resolve(failed(`${why}${detail ? `: ${detail}` : ''}`));
      }
    });
  });
}

/** A probe's child-process entry: one JSON line on stdout, or the reason on stderr with exit code 2. */
export function runAsProbe<T>(probe: (argv: readonly string[]) => Promise<T>): void {
  probe(process.argv.slice(2)).then(
    (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
    (thrown: unknown) => {
      console.error(thrown instanceof Error ? thrown.message : thrown);
      process.exitCode = 2;
    },
  );
}
