import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';

import type { IdentityConnection, StorageConnection } from './storageConnection';

/**
 * Storage clients from a connection string as app settings hold it (`UseDevelopmentStorage=true`
 * included) or from an identity-based connection. Plain-http endpoints are Azurite's; the Tables SDK
 * refuses them unless told otherwise.
 */
export function blobServiceClientFrom(connection: StorageConnection): BlobServiceClient {
  if (typeof connection === 'string') return BlobServiceClient.fromConnectionString(connection);
  return new BlobServiceClient(connection.blobServiceUri, credentialFor(connection));
}

export function tableClientFrom(connection: StorageConnection, tableName: string): TableClient {
  if (typeof connection === 'string') {
    return TableClient.fromConnectionString(connection, tableName, { allowInsecureConnection: isInsecure(connection) });
  }
  return new TableClient(connection.tableServiceUri, tableName, credentialFor(connection));
}

/**
 * The queue service of an account (the CLI peeks the host's poison queue). An identity connection
 * names no queue endpoint; `queueServiceUri` is `NAME__queueServiceUri` or derived from the blob one.
 */
export function queueServiceClientFrom(connection: StorageConnection, queueServiceUri?: string): QueueServiceClient {
  if (typeof connection === 'string') return QueueServiceClient.fromConnectionString(connection);
  const uri = queueServiceUri ?? connection.blobServiceUri.replace('.blob.', '.queue.');
  return new QueueServiceClient(uri, credentialFor(connection));
}

const credentials = new Map<string, TokenCredential>();

/** One credential per identity, so tokens are cached across clients. */
function credentialFor(connection: IdentityConnection): TokenCredential {
  const key = `${connection.credential ?? ''}|${connection.clientId ?? ''}`;
  let credential = credentials.get(key);
  if (!credential) {
    credential =
      connection.credential?.toLowerCase() === 'managedidentity'
        ? new ManagedIdentityCredential(connection.clientId === undefined ? {} : { clientId: connection.clientId })
        : new DefaultAzureCredential(
            connection.clientId === undefined ? {} : { managedIdentityClientId: connection.clientId },
          );
    credentials.set(key, credential);
  }
  return credential;
}

function isInsecure(connectionString: string): boolean {
  return (
    /UseDevelopmentStorage=true/i.test(connectionString) ||
    /Endpoint=http:\/\//i.test(connectionString) ||
    /DefaultEndpointsProtocol=http;/i.test(connectionString)
  );
}
