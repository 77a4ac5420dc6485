import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import {
  acquireHostLock,
  HOST_LOCK,
  type HostLockInfo,
  processIsRunning,
  readHostLock,
  runningHost,
} from '../../../local/hostLock';
import { describeHost, refusal, takeFolder } from '../../../local/takeFolder';

// Issue 14 §7: one local host per folder.
const NOW = new Date('2026-03-05T13:32:07Z');
const host = (pid: number, more: Partial<HostLockInfo> = {}): HostLockInfo => ({
  pid,
  command: 'npm start',
  startedAt: '2026-03-05T13:20:07.000Z',
  ...more,
});
/** Processes 100 and 200 run; every other pid is gone. */
const running = (pid: number) => pid === 100 || pid === 200;

let folder: string;
let file: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'host-lock-'));
  file = join(folder, HOST_LOCK);
});
afterEach(() => rm(folder, { recursive: true, force: true }));

describe('acquireHostLock', () => {
  it('gives the lock to the first host and refuses the second, naming the first', () => {
    // Act
    const first = acquireHostLock(file, host(100), running);
    const second = acquireHostLock(file, host(200), running);

    // Assert
    expect(first.ok).toBe(true);
    expect(second).toEqual({ ok: false, holder: host(100) });
    expect(readHostLock(file)).toEqual(host(100));
  });

  it('leaves the first host’s lock alone when the refused second one exits', () => {
    // Arrange
    const first = acquireHostLock(file, host(100), running);
    const second = acquireHostLock(file, host(200), running);

    // Act: the second releases what it has, as its exit handler would
    if (second.ok) second.lock.release();

    // Assert
    expect(first.ok && readHostLock(file)).toEqual(host(100));
  });

  it('takes over a lock whose process no longer runs, and says whose it was', () => {
    // Arrange: a host that was killed with SIGKILL
    acquireHostLock(file, host(300), () => true);

    // Act
    const outcome = acquireHostLock(file, host(200), running);

    // Assert
    expect(outcome).toMatchObject({ ok: true, tookOverFrom: host(300) });
    expect(readHostLock(file)).toEqual(host(200));
    expect(readdirSync(dirname(file))).toEqual(['host.lock']);
  });

  it('takes over a lock that is not one (a torn or hand-edited file)', () => {
    // Arrange
    acquireHostLock(file, host(300), () => true);
    writeFileSync(file, '{"pid": 3');

    // Act
    const outcome = acquireHostLock(file, host(200), running);

    // Assert
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.ok && outcome.tookOverFrom).toBeUndefined();
    expect(readHostLock(file)).toEqual(host(200));
  });

  it('treats a lock holding its own pid as stale: a container restarted with the same pid', () => {
    acquireHostLock(file, host(200, { startedAt: '2026-03-04T00:00:00.000Z' }), running);
    expect(acquireHostLock(file, host(200), running)).toMatchObject({ ok: true });
  });

  it('releases only its own lock, not one another host took over', () => {
    // Arrange: host 300 took the lock, died, and host 200 took it over
    const first = acquireHostLock(file, host(300), () => true);
    acquireHostLock(file, host(200), running);

    // Act
    if (first.ok) first.lock.release();

    // Assert
    expect(readHostLock(file)).toEqual(host(200));
  });

  it('adds what the host learns while starting, and removes the file on release', () => {
    // Arrange
    const outcome = acquireHostLock(file, host(200), running);
    if (!outcome.ok) throw new Error('not acquired');

    // Act
    outcome.lock.update({
      container: 'export',
      azurite: { ports: [10000, 10001, 10002], status: 'started', pid: 201 },
    });
    const updated = readHostLock(file);
    outcome.lock.release();

    // Assert
    expect(updated).toEqual(
      host(200, { container: 'export', azurite: { ports: [10000, 10001, 10002], status: 'started', pid: 201 } }),
    );
    expect(existsSync(file)).toBe(false);
  });
});

describe('runningHost', () => {
  it.each([
    ['a live host', 100, host(100)],
    ['a host that is gone', 300, undefined],
  ])('reports %s as the folder’s running host or none', (_, pid, expected) => {
    acquireHostLock(file, host(pid), () => true);
    expect(runningHost(file, running)).toEqual(expected);
  });

  it('reports nothing when no host ever ran in the folder', () => {
    expect(runningHost(file, running)).toBeUndefined();
  });
});

describe('processIsRunning', () => {
  it('is true for this process and false for one that has exited', async () => {
    // Arrange
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.once('exit', resolve));

    // Assert
    expect(processIsRunning(process.pid)).toBe(true);
    expect(processIsRunning(child.pid ?? 0)).toBe(false);
  });
});

describe('what a second host says', () => {
  it('names the first host’s pid, command, start, Azurite, and what to do', () => {
    const holder = host(4321, { azurite: { ports: [10001, 10000, 10002], status: 'started', pid: 4330 } });
    expect(refusal('npm start', holder, NOW).split('\n')).toEqual([
      'npm start: a local host already runs in this folder: pid 4321 (npm start), since 2026-03-05 13:20:07 UTC (12 min ago), Azurite on ports 10000-10002 (pid 4330).',
      '  Use it (npx export-alerts replay PATH, npm run demo), or stop it first (Ctrl-C in its terminal, or kill 4321).',
      '  If pid 4321 is no local host, delete .local-host/host.lock.',
    ]);
  });

  it.each([
    [host(1, { startedAt: '2026-03-05T13:32:00Z' }), 'pid 1 (npm start), since 2026-03-05 13:32:00 UTC (just now)'],
    [
      host(1, { command: 'npm run demo', azurite: { ports: [10000, 10001, 10002], status: 'reused' } }),
      'pid 1 (npm run demo), since 2026-03-05 13:20:07 UTC (12 min ago), Azurite on ports 10000-10002 (reused, not its own)',
    ],
    [host(1, { startedAt: '2026-03-03T09:00:00Z' }), 'pid 1 (npm start), since 2026-03-03 09:00:00 UTC (2 days ago)'],
  ])('describes a lock as %#: %s', (info, expected) => {
    expect(describeHost(info, NOW)).toBe(expected);
  });
});

describe('takeFolder', () => {
  it('prints the refusal and returns nothing when another host runs in the folder', () => {
    // Arrange
    acquireHostLock(file, host(100), running);
    const lines: string[] = [];

    // Act
    const lock = takeFolder(
      'npm run demo',
      { out: (l) => lines.push(`out: ${l}`), err: (l) => lines.push(`err: ${l}`) },
      { cwd: folder, now: NOW, isRunning: running },
    );

    // Assert
    expect(lock).toBeUndefined();
    expect(lines).toEqual([`err: ${refusal('npm run demo', host(100), NOW)}`]);
  });
});
