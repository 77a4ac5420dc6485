import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { ProbeReport } from './rssProbe';

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
  const child = fork(join(__dirname, 'rssProbe.js'), args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as ProbeReport);
      } catch {
        const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
        const detail = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' ');
        resolve({ variant: request.variant, runs: [], maxRssBytes: Number.NaN, sampledPeakRssBytes: Number.NaN, error: `${why}${detail ? `: ${detail}` : ''}` });
      }
    });
  });
}
