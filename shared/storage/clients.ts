import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';

/**
 * Storage clients from a connection string as app settings hold it (`UseDevelopmentStorage=true`
 * included). Plain-http endpoints are Azurite's; the Tables SDK refuses them unless told otherwise.
 */
export function blobServiceClientFrom(connectionString: string): BlobServiceClient {
  return BlobServiceClient.fromConnectionString(connectionString);
}

export function tableClientFrom(connectionString: string, tableName: string): TableClient {
  return TableClient.fromConnectionString(connectionString, tableName, {
    allowInsecureConnection: isInsecure(connectionString),
  });
}

function isInsecure(connectionString: string): boolean {
  return /UseDevelopmentStorage=true/i.test(connectionString) || /Endpoint=http:\/\//i.test(connectionString) ||
    /DefaultEndpointsProtocol=http;/i.test(connectionString);
}
