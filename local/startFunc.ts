#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

import { environmentWithLocalSettings } from '../shared/adapters/settings/localSettingsFile';
import { type DevelopmentStorage, ensureDevelopmentStorage } from './developmentStorage';
import { AZURITE_DIR, ensureLocalSettingsFile, usesDevelopmentStorage } from './localSettings';
import { azuriteOfHost, processOutput, takeFolder } from './takeFolder';

const NO_FUNC = `npm run start:func: Azure Functions Core Tools ('func') are not on PATH.
  Install them where the internet is reachable (they download the Functions host and the extension
  bundle): https://learn.microsoft.com/azure/azure-functions/functions-run-local
  Without them, 'npm start' runs the same registered functions on the same Azurite.`;

/** The executable `name` would run, searched on PATH as the shell does. */
export function findOnPath(name: string, path = process.env['PATH'] ?? ''): string | undefined {
  const suffixes = process.platform === 'win32' ? ['.cmd', '.exe', ''] : [''];
  for (const dir of path.split(delimiter)) {
    for (const suffix of suffixes) {
      const candidate = join(dir, name + suffix);
      if (dir !== '' && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
  }
  return undefined;
}

/**
 * `npm run start:func`: the app under the real Functions host, on the Azurite `npm start` uses
 * (started here when none runs), with local.settings.json made from the example when missing.
 */
async function main(): Promise<number> {
  const func = findOnPath('func');
  if (func === undefined) {
    process.stderr.write(`${NO_FUNC}\n`);
    return 1;
  }
  // Two hosts on one folder's storage would both process each blob.
  const lock = takeFolder('npm run start:func', processOutput);
  if (lock === undefined) return 1;
  if (ensureLocalSettingsFile()) process.stdout.write('created local.settings.json from local.settings.example.json\n');
  const env = environmentWithLocalSettings();
  let storage: DevelopmentStorage | undefined;
  if (['AzureWebJobsStorage', 'EXPORT_STORAGE'].some((key) => usesDevelopmentStorage(env[key]))) {
    storage = await ensureDevelopmentStorage(resolve(AZURITE_DIR));
    process.stdout.write(
      storage.status === 'started'
        ? `Azurite started on ports 10000-10002 (pid ${storage.pid ?? '?'}), data in ${AZURITE_DIR}/; it stops with this process\n`
        : 'using the Azurite already running on ports 10000-10002\n',
    );
    lock.update({ azurite: azuriteOfHost(storage) });
  }
  // NOTE: func gets Ctrl-C from the terminal itself; this process only waits for it to exit.
  const ignore = (): void => {};
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  const code = await new Promise<number>((done) => {
    const child = spawn(func, ['start'], { stdio: 'inherit', shell: process.platform === 'win32' });
    child.once('error', (error) => {
      process.stderr.write(`could not run ${func}: ${error.message}\n`);
      done(1);
    });
    child.once('exit', (exitCode, signal) => done(exitCode ?? (signal ? 130 : 1)));
  });
  await storage?.stop();
  return code;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`npm run start:func: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
