import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The lock of the one local host a folder may run, relative to that folder (git-ignored). */
export const HOST_LOCK = join('.local-host', 'host.lock');

/** What a running local host tells a second one, and the demo, about itself. */
export interface HostLockInfo {
  readonly pid: number;
  /** What runs: `npm start`, `npm run demo`, `npm run start:func`. */
  readonly command: string;
  /** ISO time the host started. */
  readonly startedAt: string;
  /** The Azurite the host uses for UseDevelopmentStorage=true: started by it (and stopped with it), or reused. */
  readonly azurite?: {
    readonly ports: readonly number[];
    readonly status: 'started' | 'reused';
    readonly pid?: number;
  };
  /** The export container the host watches. */
  readonly container?: string;
  /** Absolute path of the outbox folder; absent when mail goes to SendGrid. */
  readonly outboxDir?: string;
}

/** This process's hold on the folder. */
export interface HostLock {
  readonly file: string;
  info(): HostLockInfo;
  /** Rewrites the lock with what the host learned since (its Azurite, container, outbox). */
  update(more: Omit<Partial<HostLockInfo>, 'pid' | 'startedAt'>): void;
  /** Deletes the lock if it is still this process's; a lock another host took over is left alone. */
  release(): void;
}

export type HostLockOutcome =
  | {
      readonly ok: true;
      readonly lock: HostLock;
      /** A lock left by a host that no longer runs (killed, crashed), replaced by this one. */
      readonly tookOverFrom?: HostLockInfo;
    }
  | { readonly ok: false; readonly holder: HostLockInfo };

/** Whether a process runs; injected by tests. */
export type IsRunning = (pid: number) => boolean;

/**
 * Takes the folder's lock for `info.pid`, unless a live process holds it. A lock whose process is gone
 * is taken over (and said so). The lock file appears complete or not at all: it is written beside and
 * hard-linked into place, which fails when a lock is there.
 * @returns the lock, or who holds it
 */
export function acquireHostLock(
  file: string,
  info: HostLockInfo,
  isRunning: IsRunning = processIsRunning,
): HostLockOutcome {
  mkdirSync(dirname(file), { recursive: true });
  let tookOverFrom: HostLockInfo | undefined;
  // NOTE: a few rounds, because a stale lock moved aside may be replaced by a live one in between.
  for (let round = 0; round < 5; round++) {
    if (placeLock(file, info)) {
      const lock = heldLock(file, info);
      return tookOverFrom === undefined ? { ok: true, lock } : { ok: true, lock, tookOverFrom };
    }
    const holder = readHostLock(file);
    if (holder !== undefined && holder.pid !== info.pid && isRunning(holder.pid)) return { ok: false, holder };
    // Stale (or unreadable): move it aside under a name of our own, then look at what was moved, since
    // another starting host may have replaced it between the read and the rename.
    const aside = `${file}.stale-${info.pid}`;
    try {
      renameSync(file, aside);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') continue;
      throw error;
    }
    const moved = readHostLock(aside);
    if (moved !== undefined && moved.pid !== info.pid && isRunning(moved.pid)) {
      try {
        linkSync(aside, file);
      } finally {
        unlinkSync(aside);
      }
      return { ok: false, holder: moved };
    }
    unlinkSync(aside);
    tookOverFrom = moved ?? holder ?? tookOverFrom;
  }
  throw new Error(`could not take ${file}: it kept changing; is a host starting in this folder right now?`);
}

/** The host holding the lock `file` when its process still runs, else undefined. */
export function runningHost(file: string, isRunning: IsRunning = processIsRunning): HostLockInfo | undefined {
  const holder = readHostLock(file);
  return holder !== undefined && holder.pid !== process.pid && isRunning(holder.pid) ? holder : undefined;
}

/** The lock's contents; undefined when there is none or it is not a lock this code wrote. */
export function readHostLock(file: string): HostLockInfo | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // No file, or one that is not JSON (edited by hand, a full disk): no host to respect.
    return undefined;
  }
  const info = parsed as Partial<HostLockInfo> | null;
  return typeof info?.pid === 'number' && typeof info.command === 'string' && typeof info.startedAt === 'string'
    ? (info as HostLockInfo)
    : undefined;
}

/**
 * Whether process `pid` exists and has not exited: signal 0 tests for it without sending anything
 * (EPERM: it exists, as another user's). On Linux a zombie (exited, not yet reaped) counts as gone.
 */
export function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // No /proc (macOS, Windows), or the process went in between: signal 0 answered already.
    return true;
  }
}

/** Writes `info` beside `file` and links it into place; false when a lock is already there. */
function placeLock(file: string, info: HostLockInfo): boolean {
  const temp = `${file}.${info.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`);
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

function heldLock(file: string, initial: HostLockInfo): HostLock {
  let info = initial;
  const ours = (): boolean => {
    const current = readHostLock(file);
    return current === undefined || (current.pid === info.pid && current.startedAt === info.startedAt);
  };
  return {
    file,
    info: () => info,
    update: (more) => {
      info = { ...info, ...more };
      if (!ours()) return;
      const temp = `${file}.${info.pid}.tmp`;
      writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`);
      renameSync(temp, file);
    },
    release: () => {
      if (readHostLock(file) !== undefined && ours()) rmSync(file, { force: true });
    },
  };
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}
