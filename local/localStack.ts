import { mkdirSync } from 'node:fs';

import { type DevelopmentStorage, ensureDevelopmentStorage } from './developmentStorage';
import { type LocalHost, type LocalHostOptions, startLocalHost } from './localHost';
import { usesDevelopmentStorage } from './localSettings';

/** The local host together with the Azurite it may have started. */
export interface LocalStack {
  readonly host: LocalHost;
  /** Undefined when no setting names development storage. */
  readonly storage: DevelopmentStorage | undefined;
  stop(): Promise<void>;
}

/**
 * Starts (or reuses) Azurite when a storage setting is `UseDevelopmentStorage=true`, with its data in
 * `azuriteDir`, then the local host on it. Stopping stops both, the host first.
 */
export async function startLocalStack(azuriteDir: string, options: LocalHostOptions): Promise<LocalStack> {
  const s = options.settings;
  const needsAzurite = ['AzureWebJobsStorage', 'EXPORT_STORAGE', 'ALERT_RULES_STORAGE'].some((key) =>
    usesDevelopmentStorage(s[key]),
  );
  let storage: DevelopmentStorage | undefined;
  if (needsAzurite) {
    mkdirSync(azuriteDir, { recursive: true });
    storage = await ensureDevelopmentStorage(azuriteDir);
    options.log?.({
      level: 'info',
      source: 'host',
      text:
        storage.status === 'started'
          ? `Azurite started on ports 10000-10002 (pid ${storage.pid ?? '?'}), data in ${azuriteDir}; it stops with this process`
          : 'using the Azurite already running on ports 10000-10002 (not started here: it keeps running after this process)',
    });
  }
  let host: LocalHost;
  try {
    host = await startLocalHost(options);
  } catch (error) {
    await storage?.stop();
    throw error;
  }
  return {
    host,
    storage,
    stop: async () => {
      await host.stop();
      await storage?.stop();
    },
  };
}
