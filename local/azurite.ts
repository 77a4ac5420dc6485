import { type ChildProcess, spawn } from 'node:child_process';

import { at } from '../shared/core/defined';

/** Azurite's published development account: a well-known key, not a secret. */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /** Keep data in this folder across restarts; in memory when absent. */
  readonly location?: string;
  /** 0 (the default) lets the OS pick free ports. */
  readonly blobPort?: number;
  readonly queuePort?: number;
  readonly tablePort?: number;
  readonly startTimeoutMs?: number;
  /**
   * Run in its own process group, so a Ctrl-C in the terminal (or a signal to the host's group) reaches
   * only the parent, which finishes its work before stopping Azurite. Either way Azurite stops when the
   * parent goes, however it goes.
   */
  readonly detached?: boolean;
}

export interface RunningAzurite {
  readonly connectionString: string;
  readonly blobEndpoint: string;
  readonly queueEndpoint: string;
  readonly tableEndpoint: string;
  readonly pid: number;
  /** Resolves once Azurite has saved its data and exited. */
  stop(): Promise<void>;
}

const LISTENING = /Azurite (Blob|Queue|Table) service is successfully listening at (http:\/\/\S+)/g;

/**
 * Runs in the Azurite process ahead of Azurite itself. The parent holds the only other end of Azurite's
 * stdin; when it closes (the parent stopped Azurite, exited, threw, or was killed with SIGKILL) Azurite
 * shuts down as on SIGTERM, saving its data. Before Azurite's own handler is registered, SIGTERM simply
 * ends it. Writes to a closed stdout or stderr are dropped, so a parent that died does not cut the shutdown
 * short.
 */
const WATCHDOG = [
  "const stop = () => process.kill(process.pid, 'SIGTERM');",
  "process.stdin.on('end', stop).on('error', stop).resume();",
  "process.stdout.on('error', () => {});",
  "process.stderr.on('error', () => {});",
  'require(process.argv[1]);',
].join('\n');

/**
 * Starts Azurite from the npm package as a child process and waits until all three services listen.
 * Telemetry and the access log are off (Azurite phones home otherwise) and the API version check is
 * skipped because the SDKs send versions newer than Azurite knows. The child cannot outlive this
 * process (see WATCHDOG), and its stderr is this process's, so what Azurite says about a failure
 * reaches the terminal even while it shuts down after its parent died.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const args = [
    '-e',
    WATCHDOG,
    require.resolve('azurite/dist/src/azurite.js'),
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--silent',
    ...(options.location === undefined ? ['--inMemoryPersistence'] : ['--location', options.location]),
    ...['--blobHost', '127.0.0.1', '--queueHost', '127.0.0.1', '--tableHost', '127.0.0.1'],
    ...['--blobPort', String(options.blobPort ?? 0), '--queuePort', String(options.queuePort ?? 0)],
    ...['--tablePort', String(options.tablePort ?? 0)],
  ];
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'inherit'],
    detached: options.detached ?? false,
  });
  const endpoints = await waitForEndpoints(child, options.startTimeoutMs ?? 30_000);
  const blobEndpoint = `${endpoints.Blob}/${DEV_ACCOUNT}`;
  const queueEndpoint = `${endpoints.Queue}/${DEV_ACCOUNT}`;
  const tableEndpoint = `${endpoints.Table}/${DEV_ACCOUNT}`;
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};` +
      `BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};TableEndpoint=${tableEndpoint};`,
    blobEndpoint,
    queueEndpoint,
    tableEndpoint,
    pid: child.pid ?? -1,
    stop: () => stopChild(child),
  };
}

function waitForEndpoints(child: ChildProcess, timeoutMs: number): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const found: Record<string, string> = {};
    let output = '';
    const timer = setTimeout(() => {
      child.stdin?.end();
      reject(new Error(`Azurite did not start within ${timeoutMs} ms. Output:\n${output}`));
    }, timeoutMs);
    const onData = (data: Buffer) => {
      output += data.toString();
      for (const match of output.matchAll(LISTENING))
        found[at(match, 1, 'Azurite service')] = at(match, 2, 'Azurite service address');
      if (found['Blob'] && found['Queue'] && found['Table']) {
        clearTimeout(timer);
        child.removeListener('exit', onExit);
        // Keep draining so a full pipe never blocks Azurite.
        child.stdout?.removeListener('data', onData);
        child.stdout?.resume();
        resolve(found);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(
        new Error(
          `Azurite exited (${code ?? signal}) before listening; its own message, if any, is above. Output:\n${output}`,
        ),
      );
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Closes Azurite's stdin, so it shuts down and saves; killed if it has not exited after 10 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.stdin?.end();
  });
}
