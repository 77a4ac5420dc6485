#!/usr/bin/env node
import './quietTestMode';

import { resolve } from 'node:path';

import { DEFAULT_OUTBOX_DIR } from '../shared/adapters/mail/createMailer';
import { checkConfig } from '../shared/adapters/settings/config';
import { environmentWithLocalSettings } from '../shared/adapters/settings/localSettingsFile';
import { defined } from '../shared/core/defined';
import { ConfigError } from '../shared/core/errors';
import { DevelopmentStorageError } from './developmentStorage';
import type { HostLogLine } from './hostLog';
import { writeHostState } from './hostState';
import {
  AZURITE_DIR,
  describeConnection,
  ensureLocalSettingsFile,
  localHostSettings,
  pollIntervalMs,
} from './localSettings';
import { startLocalStack } from './localStack';

/**
 * `npm start`: Azurite from the npm package plus the local host, with the settings `func start` would
 * read (the environment over local.settings.json). Runs until Ctrl-C.
 */
async function main(): Promise<number> {
  if (ensureLocalSettingsFile())
    process.stdout.write(
      'created local.settings.json from local.settings.example.json (git-ignored; edit it to change settings)\n',
    );
  const settings = localHostSettings(environmentWithLocalSettings());
  const azuriteDir = resolve(AZURITE_DIR);
  const config = checkConfig(settings);
  const transport = config.ok ? config.value.mail.transport : undefined;
  const outboxDir =
    transport === 'outbox'
      ? resolve(
          config.ok && config.value.mail.outboxDir !== undefined ? config.value.mail.outboxDir : DEFAULT_OUTBOX_DIR,
        )
      : undefined;
  process.stdout.write(
    [
      "insights-export-alerts local host: this app's functions, run without the Functions host",
      `  storage     ${describeConnection(defined(settings['EXPORT_STORAGE'], 'the setting EXPORT_STORAGE'))}`,
      `  container   ${defined(settings['EXPORT_CONTAINER'], 'the setting EXPORT_CONTAINER')}`,
      `  mail        ${outboxDir !== undefined ? `.eml files in ${outboxDir} (MAIL_TRANSPORT=outbox)` : transport === 'sendgrid' ? 'SendGrid (MAIL_TRANSPORT=sendgrid)' : 'settings invalid: see below'}`,
      '  add blobs with `npx export-alerts replay PATH` or `npm run demo`; Ctrl-C stops',
      '',
    ].join('\n'),
  );
  const stack = await startLocalStack(azuriteDir, { settings, pollIntervalMs: pollIntervalMs(settings), log: print });
  const forgetState = writeHostState(azuriteDir, {
    pid: process.pid,
    container: stack.host.container,
    outboxDir,
    startedAt: new Date().toISOString(),
  });

  return new Promise((done) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        // A second Ctrl-C: leave now, and take the Azurite this process started along.
        if (stack.storage?.pid !== undefined) process.kill(stack.storage.pid, 'SIGKILL');
        forgetState();
        process.exit(130);
      }
      stopping = true;
      process.stdout.write(
        `\n${signal}: finishing the invocation in progress, then stopping (Ctrl-C again to force)\n`,
      );
      forgetState();
      stack.stop().then(
        () => done(0),
        (error: unknown) => {
          process.stderr.write(`error while stopping: ${String(error)}\n`);
          done(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function print(line: HostLogLine): void {
  const time = new Date().toISOString().slice(11, 19);
  const head = `${time} ${line.source.padEnd(18)} `;
  const mark = line.level === 'error' ? 'ERROR ' : line.level === 'warn' ? 'warn  ' : '';
  const [first = '', ...rest] = line.text.split('\n');
  const text = [head + mark + first, ...rest.map((r) => ' '.repeat(head.length) + r)].join('\n');
  (line.level === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError || error instanceof DevelopmentStorageError)
        process.stderr.write(`npm start: ${error.message}\n`);
      else
        process.stderr.write(`npm start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
