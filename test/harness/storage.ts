import { randomBytes } from 'node:crypto';

import { TableClient } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

/** The connection string of the Azurite the global setup started. */
export function testConnectionString(): string {
  const value = process.env['TEST_STORAGE_CONNECTION'];
  if (!value) throw new Error('TEST_STORAGE_CONNECTION is not set: run storage tests through jest (test/integration)');
  return value;
}

/** A name no other test uses, so test files can run in parallel against one Azurite. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(5).toString('hex')}`.toLowerCase();
}

export async function createTestContainer(prefix = 'test'): Promise<ContainerClient> {
  const container = BlobServiceClient.fromConnectionString(testConnectionString()).getContainerClient(
    uniqueName(prefix),
  );
  await container.create();
  return container;
}

export function testTableClient(prefix = 'test'): TableClient {
  // Table names must be alphanumeric: no dashes.
  return TableClient.fromConnectionString(testConnectionString(), uniqueName(prefix).replace(/[^a-z0-9]/g, ''), {
    allowInsecureConnection: true,
  });
}
