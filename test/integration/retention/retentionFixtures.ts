import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ContainerClient } from '@azure/storage-blob';

import { DEV_ACCOUNT, DEV_ACCOUNT_KEY } from '../../../local/azurite';
import { loadRetentionSettings, type RetentionSettings } from '../../../shared/adapters/settings/retentionSettings';
import { testConnectionString } from '../../harness/storage';

export const APP = 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
export const OTHER = 'api_00112233445566778899aabbccddeeff';

/** Uploads a one-byte-per-character body to each name, `concurrency` at a time. */
export async function uploadAll(container: ContainerClient, names: readonly string[], concurrency = 32): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++] as string;
      await container.getBlockBlobClient(name).upload('x', 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export async function listNames(container: ContainerClient): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat()) names.push(blob.name);
  return names.sort();
}

/** One blob per hour of `date`, named like `<folder>/<type>/<date>/<HH>/<file>`. */
export function hourBlobs(
  folder: string,
  type: string,
  date: string,
  hours: readonly number[] = range(24),
  file = 'a.blob',
): string[] {
  return hours.map((h) => `${folder}/${type}/${date}/${String(h).padStart(2, '0')}/${file}`);
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export function settingsFor(container: ContainerClient, env: Record<string, string> = {}): RetentionSettings {
  return loadRetentionSettings({
    EXPORT_STORAGE: testConnectionString(),
    EXPORT_CONTAINER: container.containerName,
    // These tests delete: the default is a dry run.
    RETENTION_DRY_RUN: 'false',
    ...env,
  });
}

/** A storage endpoint that answers Blob Batch with `status` and passes every other request to Azurite. */
export interface BatchRefusingEndpoint {
  readonly connectionString: string;
  close(): Promise<void>;
}

/**
 * Starts a loopback proxy in front of the test Azurite that refuses Blob Batch the way an endpoint
 * without it does: an error status with a storage error body. Shared Key signatures do not cover the
 * host, so requests signed for the proxy are valid at Azurite.
 */
export async function startBatchRefusingEndpoint(status: number): Promise<BatchRefusingEndpoint> {
  const upstream = new URL(/BlobEndpoint=([^;]+)/.exec(testConnectionString())?.[1] ?? '');
  const server = createServer((req, res) => {
    if (/[?&]comp=batch/.test(req.url ?? '')) {
      req.resume();
      const code = status === 501 ? 'NotImplemented' : 'UnsupportedHttpVerb';
      res.writeHead(status, { 'content-type': 'application/xml', 'x-ms-error-code': code });
      res.end(
        `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>no Blob Batch here</Message></Error>`,
      );
      return;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => res.destroy(error));
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const blobEndpoint = `http://127.0.0.1:${port}${upstream.pathname}`;
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=${blobEndpoint};`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
