import { resolve } from 'node:path';

import { DEVELOPMENT_PORTS, type DevelopmentStorage } from './developmentStorage';
import { acquireHostLock, HOST_LOCK, type HostLock, type HostLockInfo, type IsRunning } from './hostLock';

/** Where a command that runs a host writes what it has to say. */
export interface HostOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export const processOutput: HostOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Takes this folder's host lock for this process and releases it however the process exits (only a
 * SIGKILL leaves it behind, and the next host takes it over with a note). When another host holds it,
 * says who, since when, and what to do, and returns undefined: the caller exits without touching
 * anything of the running host.
 */
export function takeFolder(
  command: string,
  output: HostOutput,
  options: { readonly cwd?: string; readonly now?: Date; readonly isRunning?: IsRunning } = {},
): HostLock | undefined {
  const file = resolve(options.cwd ?? process.cwd(), HOST_LOCK);
  const now = options.now ?? new Date();
  const outcome = acquireHostLock(
    file,
    { pid: process.pid, command, startedAt: now.toISOString() },
    ...(options.isRunning === undefined ? [] : [options.isRunning]),
  );
  if (!outcome.ok) {
    output.err(refusal(command, outcome.holder, now));
    return undefined;
  }
  if (outcome.tookOverFrom !== undefined)
    output.out(
      `note: the host that held ${HOST_LOCK} no longer runs (${describeHost(outcome.tookOverFrom, now)}); this one takes over`,
    );
  const lock = outcome.lock;
  process.once('exit', () => lock.release());
  return lock;
}

/** The lines a second host prints before it exits. */
export function refusal(command: string, holder: HostLockInfo, now: Date): string {
  const pid = holder.pid;
  return [
    `${command}: a local host already runs in this folder: ${describeHost(holder, now)}.`,
    `  Use it (npx export-alerts replay PATH, npm run demo), or stop it first (Ctrl-C in its terminal, or kill ${pid}).`,
    `  If pid ${pid} is no local host, delete ${HOST_LOCK}.`,
  ].join('\n');
}

/** What the lock says about the Azurite a host uses. */
export function azuriteOfHost(storage: DevelopmentStorage): NonNullable<HostLockInfo['azurite']> {
  return {
    ports: Object.values(DEVELOPMENT_PORTS),
    status: storage.status,
    ...(storage.pid === undefined ? {} : { pid: storage.pid }),
  };
}

/** `pid 4321 (npm start), since 2026-03-05 13:20:07 UTC (12 min ago), Azurite on ports 10000-10002 (pid 4330)` */
export function describeHost(info: HostLockInfo, now: Date): string {
  const since = new Date(info.startedAt);
  const when = Number.isNaN(since.getTime())
    ? info.startedAt
    : `${since.toISOString().slice(0, 19).replace('T', ' ')} UTC (${ago(now.getTime() - since.getTime())})`;
  const azurite = info.azurite;
  const ports =
    azurite === undefined || azurite.ports.length === 0
      ? ''
      : `, Azurite on ports ${portRange(azurite.ports)}${azurite.status === 'started' && azurite.pid !== undefined ? ` (pid ${azurite.pid})` : ' (reused, not its own)'}`;
  return `pid ${info.pid} (${info.command}), since ${when}${ports}`;
}

function ago(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

function portRange(ports: readonly number[]): string {
  const sorted = [...ports].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const contiguous = sorted.every((p, i) => p === (first ?? 0) + i);
  return contiguous && sorted.length > 1 ? `${first}-${last}` : sorted.join(', ');
}
