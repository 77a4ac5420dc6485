import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a running `npm start` tells other local tools (the demo) about itself. */
export interface HostState {
  readonly pid: number;
  readonly container: string;
  /** Absolute path of the outbox folder; undefined when mail goes to SendGrid. */
  readonly outboxDir: string | undefined;
  readonly startedAt: string;
}

const FILE = 'local-host.json';

export function writeHostState(dir: string, state: HostState): () => void {
  const file = join(dir, FILE);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
  return () => rmSync(file, { force: true });
}

/** The local host running on this machine for `dir`, if its process is still alive. */
export function runningHost(dir: string): HostState | undefined {
  let state: HostState;
  try {
    state = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as HostState;
  } catch {
    // No file (no host ran yet) or a torn one: either way no host to attach to.
    return undefined;
  }
  if (state.pid === process.pid) return undefined;
  try {
    process.kill(state.pid, 0);
    return state;
  } catch {
    // The process is gone (a crash or kill -9 left the file behind).
    return undefined;
  }
}
