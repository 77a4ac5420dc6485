import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

import { type RunningAzurite, startAzurite } from '../../local/azurite';
import { uniqueName } from './storage';

export interface PrivateAzurite {
  connectionString(): string;
  createContainer(prefix: string): Promise<ContainerClient>;
}

/**
 * An Azurite of this test file alone, started before its tests and stopped after them. A sweep
 * through the app settings also sweeps every successor container of the account, and those are
 * named by table (`insights-logs-apprequests`), so other tests' append blobs in the shared Azurite
 * cannot be kept out by container name.
 */
export function privateAzurite(): PrivateAzurite {
  let azurite: RunningAzurite | undefined;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => azurite?.stop());
  const connectionString = () => {
    if (azurite === undefined)
      throw new Error('the private Azurite has not started: call privateAzurite() at the top of the test file');
    return azurite.connectionString;
  };
  return {
    connectionString,
    async createContainer(prefix) {
      const container = BlobServiceClient.fromConnectionString(connectionString()).getContainerClient(
        uniqueName(prefix),
      );
      await container.create();
      return container;
    },
  };
}
