import { type RunningAzurite, startAzurite } from '../../local/azurite';

declare global {
  var __AZURITE__: RunningAzurite | undefined;
}

/** One in-memory Azurite for the whole run; tests isolate themselves by container and table name. */
export default async function globalSetup(): Promise<void> {
  const azurite = await startAzurite();
  globalThis.__AZURITE__ = azurite;
  // Workers are forked after global setup and inherit the environment.
  process.env['TEST_STORAGE_CONNECTION'] = azurite.connectionString;
}
