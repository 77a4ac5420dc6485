import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

import { testConnectionString } from './storage';

/** A connection to the test Azurite through the proxy, and how to stop it. */
export interface TableProxy {
  readonly connectionString: string;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of the test Azurite's table endpoint that runs `beforeFirstWrite` to the end
 * before it forwards the first entity write (any method but GET on an entity or a table's entities,
 * not the creation of a table). A test puts "someone else's edit" exactly between a command's read
 * and its write this way, with the real SDK and the real service on both sides and no timing. Requests
 * go through byte for byte: Shared Key signs the path and headers, which stay the same.
 */
export async function startTableProxy(beforeFirstWrite: () => Promise<void>): Promise<TableProxy> {
  const direct = testConnectionString();
  const endpoint = new URL(/TableEndpoint=([^;]+)/.exec(direct)?.[1] ?? '');
  let pending: (() => Promise<void>) | undefined = beforeFirstWrite;
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const isEntityWrite = incoming.method !== 'GET' && !/\/Tables(\(|\?|$)/.test(incoming.url ?? '');
      const hook = isEntityWrite ? pending : undefined;
      if (hook) pending = undefined;
      const forward = () => {
        const upstream = request(
          {
            host: endpoint.hostname,
            port: endpoint.port,
            method: incoming.method,
            path: incoming.url,
            headers: { ...incoming.headers, host: endpoint.host },
          },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        upstream.on('error', () => outgoing.destroy());
        upstream.end(Buffer.concat(chunks));
      };
      if (!hook) forward();
      else
        hook().then(forward, (error: unknown) => {
          outgoing.writeHead(500);
          outgoing.end(`the test's edit before the write failed: ${String(error)}`);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    connectionString: direct.replace(
      /TableEndpoint=[^;]+/,
      `TableEndpoint=http://127.0.0.1:${port}${endpoint.pathname}`,
    ),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
