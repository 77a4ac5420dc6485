import { createServer } from 'node:net';

import { TableServiceClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';

import { type RunningAzurite, startAzurite } from './azurite';
import { DEVELOPMENT_STORAGE } from './localSettings';

/** Azurite's default ports, which `UseDevelopmentStorage=true` points at. */
export const DEVELOPMENT_PORTS = { blob: 10000, queue: 10001, table: 10002 } as const;

export interface DevelopmentStorage {
  /** `started`: this process runs Azurite and stops it; `reused`: another one answered on the ports. */
  readonly status: 'started' | 'reused';
  readonly location: string | undefined;
  /** The Azurite process this process started. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** Why development storage cannot be used; the message says what to do. */
export class DevelopmentStorageError extends Error {
  readonly code = 'DEVELOPMENT_STORAGE_UNUSABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DevelopmentStorageError';
  }
}

type Probe = 'answers' | 'nothing-listening' | { readonly problem: string };

/**
 * Makes `UseDevelopmentStorage=true` work: reuses an Azurite that already answers on ports
 * 10000-10002, otherwise starts one from the npm package with its data in `location`, so rules,
 * receipts and blobs survive restarts.
 * @throws DevelopmentStorageError when the ports are held by something that is not a usable Azurite
 */
export async function ensureDevelopmentStorage(location: string): Promise<DevelopmentStorage> {
  const blob = await probeBlob();
  if (blob === 'answers') {
    const table = await probeTable();
    if (table !== 'answers') {
      const why = table === 'nothing-listening' ? 'nothing listens on its table port 10002' : table.problem;
      throw new DevelopmentStorageError(
        `an Azurite answers on port 10000 but ${why}: start the full emulator (azurite, not azurite-blob) or stop it and run npm start again`,
      );
    }
    return { status: 'reused', location: undefined, pid: undefined, stop: () => Promise.resolve() };
  }
  if (blob !== 'nothing-listening') throw new DevelopmentStorageError(blob.problem);
  const taken = await takenPortProblem();
  if (taken !== undefined) throw new DevelopmentStorageError(taken);
  let azurite: RunningAzurite;
  try {
    azurite = await startAzurite({
      location,
      blobPort: DEVELOPMENT_PORTS.blob,
      queuePort: DEVELOPMENT_PORTS.queue,
      tablePort: DEVELOPMENT_PORTS.table,
      detached: true,
    });
  } catch (error) {
    throw new DevelopmentStorageError(
      `could not start Azurite on ports 10000-10002: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return { status: 'started', location, pid: azurite.pid, stop: () => azurite.stop() };
}

/**
 * What to tell the user when another program holds one of Azurite's ports while nothing answers as
 * Azurite on the blob port: which port, and how to find that program; undefined when all are free.
 */
export async function takenPortProblem(
  isFree: (port: number) => Promise<boolean> = portIsFree,
): Promise<string | undefined> {
  for (const [service, port] of Object.entries(DEVELOPMENT_PORTS)) {
    if (await isFree(port)) continue;
    return (
      `port ${port}, where Azurite's ${service} service listens for UseDevelopmentStorage=true, is taken by another ` +
      `program: stop it (\`lsof -i :${port}\` or \`ss -ltnp 'sport = :${port}'\` names it) and run this again, or set ` +
      'AzureWebJobsStorage, EXPORT_STORAGE and ALERT_RULES_STORAGE in local.settings.json to a storage account'
    );
  }
  return undefined;
}

/** Whether this process could listen on `port` of 127.0.0.1, where Azurite listens. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function probeBlob(): Promise<Probe> {
  const client = BlobServiceClient.fromConnectionString(DEVELOPMENT_STORAGE, {
    retryOptions: { maxTries: 1, tryTimeoutInMs: 3_000 },
  });
  return probe(() => client.getProperties(), 'blob', DEVELOPMENT_PORTS.blob);
}

async function probeTable(): Promise<Probe> {
  const client = TableServiceClient.fromConnectionString(DEVELOPMENT_STORAGE, {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
  return probe(() => client.getProperties(), 'table', DEVELOPMENT_PORTS.table);
}

async function probe(call: () => Promise<unknown>, service: string, port: number): Promise<Probe> {
  try {
    await call();
    return 'answers';
  } catch (error) {
    const e = error as { code?: unknown; statusCode?: unknown; cause?: { code?: unknown } } | null;
    const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
    if (code === 'ECONNREFUSED' || (code === 'REQUEST_SEND_ERROR' && typeof e?.statusCode !== 'number'))
      return 'nothing-listening';
    if (e?.statusCode === 400 && code === 'InvalidHeaderValue') {
      return {
        problem:
          `the Azurite on port ${port} refuses this SDK's API version: restart it with --skipApiVersionCheck, ` +
          'or stop it and let npm start run its own',
      };
    }
    const status = typeof e?.statusCode === 'number' ? `HTTP ${e.statusCode}` : (code ?? 'no answer');
    return {
      problem: `port ${port} does not answer as Azurite's ${service} service (${status}); free ports 10000-10002 or stop that program`,
    };
  }
}
