import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { portIsFree } from '../../../local/developmentStorage';
import { HOST_LOCK, processIsRunning, readHostLock } from '../../../local/hostLock';
import { uniqueName } from '../../harness/storage';
import { buildDist, ROOT, startProcess, type TestProcess } from './hostProcesses';
import { isolatedSettings } from './localHostWorld';

// Issue 14 §7: one host per folder, and no Azurite left behind however the host ends.
const HOST = join(ROOT, 'dist/local/main.js');
const RUNNING = /running as pid \d+/;

/** A folder whose local.settings.json points a host at the test Azurite, on names of its own. */
async function hostFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'host-folder-'));
  const id = uniqueName('');
  const settings = isolatedSettings({
    // NOTE: the scanner would otherwise discover the append-blob containers other test files write.
    EXPORT_SCAN_CONTAINERS: `insights-logs-none${id}`,
    EXPORT_CURSOR_TABLE: `cursors${id}`,
    OUTBOX_DIR: join(folder, 'outbox'),
  });
  const values = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  await writeFile(join(folder, 'local.settings.json'), JSON.stringify({ IsEncrypted: false, Values: values }));
  return folder;
}

const started: TestProcess[] = [];
function start(args: string[], cwd: string): TestProcess {
  const p = startProcess(args, { cwd });
  started.push(p);
  return p;
}

beforeAll(buildDist, 180_000);
afterEach(async () => {
  for (const p of started.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await p.closed;
  }
});

describe('npm start, one per folder', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await hostFolder();
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('refuses a second host in the same folder, says where the first runs, and leaves the first running and registered', async () => {
    // Arrange
    const first = start([HOST], folder);
    await first.line(RUNNING);

    // Act
    const second = start([HOST], folder);
    const { code } = await second.exited;

    // Assert
    expect(code).toBe(1);
    expect(second.err[0]).toMatch(
      new RegExp(
        `^npm start: a local host already runs in this folder: pid ${first.pid} \\(npm start\\), since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC \\(just now\\)\\.$`,
      ),
    );
    expect(second.err.slice(1)).toEqual([
      `  Use it (npx export-alerts replay PATH, npm run demo), or stop it first (Ctrl-C in its terminal, or kill ${first.pid}).`,
      `  If pid ${first.pid} is no local host, delete .local-host/host.lock.`,
    ]);
    expect(readHostLock(join(folder, HOST_LOCK))).toMatchObject({ pid: first.pid, command: 'npm start' });
    expect(processIsRunning(first.pid)).toBe(true);

    // Act: the first stops as on Ctrl-C
    first.child.kill('SIGTERM');

    // Assert: it stops cleanly and gives the folder back
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(folder, HOST_LOCK))).toBe(false);
  }, 120_000);

  it('takes over the lock of a host killed with SIGKILL, with a note saying whose it was', async () => {
    // Arrange: a host that is killed and cannot release its lock
    const killed = start([HOST], folder);
    await killed.line(RUNNING);
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(readHostLock(join(folder, HOST_LOCK))?.pid).toBe(killed.pid);

    // Act
    const next = start([HOST], folder);
    await next.line(RUNNING);

    // Assert
    expect(next.out[0]).toMatch(
      new RegExp(
        `^note: the host that held .local-host/host.lock no longer runs \\(pid ${killed.pid} \\(npm start\\), since .+\\); this one takes over$`,
      ),
    );
    expect(readHostLock(join(folder, HOST_LOCK))?.pid).toBe(next.pid);
  }, 120_000);
});

/**
 * A stand-in for the host: starts Azurite the way the host does (its own process group, data on disk),
 * prints its pid and port, and then does what the test writes to its stdin.
 */
const AZURITE_PARENT = `
const { startAzurite } = require(${JSON.stringify(join(ROOT, 'dist/local/azurite.js'))});
startAzurite({ detached: true, location: process.argv[1] }).then((azurite) => {
  console.log(JSON.stringify({ pid: azurite.pid, port: Number(new URL(azurite.blobEndpoint).port) }));
  process.stdin.on('data', (command) => {
    if (String(command).trim() === 'throw') throw new Error('an error nobody catches');
  });
});
`;

describe('the Azurite a host starts', () => {
  it.each(['SIGKILL', 'SIGTERM', 'an uncaught error'])(
    'stops, and frees its ports, when the host ends by %s',
    async (ending) => {
      // Arrange
      const location = await mkdtemp(join(tmpdir(), 'azurite-data-'));
      const host = start(['-e', AZURITE_PARENT, location], location);
      const azurite = JSON.parse(await host.line(/^\{"pid"/)) as { pid: number; port: number };
      expect(processIsRunning(azurite.pid)).toBe(true);

      // Act
      if (ending === 'an uncaught error') host.child.stdin?.write('throw\n');
      else host.child.kill(ending as NodeJS.Signals);
      await host.exited;
      // Azurite writes to the host's stderr, so the pipe closes only once Azurite has exited too.
      await host.closed;

      // Assert
      expect(processIsRunning(azurite.pid)).toBe(false);
      expect(await portIsFree(azurite.port)).toBe(true);
      await rm(location, { recursive: true, force: true });
    },
    60_000,
  );
});
