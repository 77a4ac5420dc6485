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
   * Run in its own process group, so a Ctrl-C in the terminal reaches only the parent, which can
   * finish its work before stopping Azurite.
   */
  readonly detached?: boolean;
}

export interface RunningAzurite {
  readonly connectionString: string;
  readonly blobEndpoint: string;
  readonly queueEndpoint: string;
  readonly tableEndpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const LISTENING = /Azurite (Blob|Queue|Table) service is successfully listening at (http:\/\/\S+)/g;

/**
 * Starts Azurite from the npm package as a child process and waits until all three services listen.
 * Telemetry is off (Azurite phones home otherwise) and the API version check is skipped because the
 * SDKs send versions newer than Azurite knows.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const args = [
    require.resolve('azurite/dist/src/azurite.js'),
    '--disableTelemetry',
    '--skipApiVersionCheck',
    ...(options.location === undefined ? ['--inMemoryPersistence'] : ['--location', options.location]),
    ...['--blobHost', '127.0.0.1', '--queueHost', '127.0.0.1', '--tableHost', '127.0.0.1'],
    ...['--blobPort', String(options.blobPort ?? 0), '--queuePort', String(options.queuePort ?? 0)],
    ...['--tablePort', String(options.tablePort ?? 0)],
  ];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
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
      child.kill();
      reject(new Error(`Azurite did not start within ${timeoutMs} ms. Output:\n${output}`));
    }, timeoutMs);
    const onData = (data: Buffer) => {
      output += data.toString();
      for (const match of output.matchAll(LISTENING))
        found[at(match, 1, 'Azurite service')] = at(match, 2, 'Azurite service address');
      if (found['Blob'] && found['Queue'] && found['Table']) {
        clearTimeout(timer);
        // Keep draining so a full pipe never blocks Azurite.
        child.stdout?.removeListener('data', onData);
        child.stdout?.resume();
        resolve(found);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (data: Buffer) => {
      output += data.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${code} before listening. Output:\n${output}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
