#!/usr/bin/env node
import './quietTestMode';

import { resolve } from 'node:path';

import { DEFAULT_OUTBOX_DIR } from '../shared/adapters/mail/createMailer';
import { checkConfig } from '../shared/adapters/settings/config';
import { environmentWithLocalSettings } from '../shared/adapters/settings/localSettingsFile';
import { defined } from '../shared/core/defined';
import { ConfigError } from '../shared/core/errors';
import { CHANNEL_OUTBOX, startChannelSinks } from './channelSinks';
import { DevelopmentStorageError } from './developmentStorage';
import { HOST_LOCK } from './hostLock';
import type { HostLogLine } from './hostLog';
import {
  AZURITE_DIR,
  describeConnection,
  ensureLocalSettingsFile,
  localHostSettings,
  pollIntervalMs,
} from './localSettings';
import { startLocalStack } from './localStack';
import { watchLocalSettings } from './settingsWatch';
import { azuriteOfHost, processOutput, takeFolder } from './takeFolder';

/**
 * `npm start`: Azurite from the npm package plus the local host, with the settings `func start` would
 * read (the environment over local.settings.json). Runs until Ctrl-C or SIGTERM; one per folder.
 */
async function main(): Promise<number> {
  const lock = takeFolder('npm start', processOutput);
  if (lock === undefined) return 1;
  // Until the host runs, a signal just ends the process: the lock goes on exit, Azurite with its pipe.
  let onSignal = (signal: NodeJS.Signals): void => {
    process.stdout.write(`\n${signal} while starting: stopping\n`);
    process.exit(130);
  };
  process.on('SIGINT', (signal) => onSignal(signal));
  process.on('SIGTERM', (signal) => onSignal(signal));
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
  // Receivers for the channel settings that point at this machine, up before any function can send.
  const sinks = config.ok
    ? await startChannelSinks(config.value.channels.targets, { outDir: resolve(CHANNEL_OUTBOX), log: print })
    : undefined;
  const stack = await startLocalStack(azuriteDir, { settings, pollIntervalMs: pollIntervalMs(settings), log: print });
  lock.update({
    ...(stack.storage === undefined ? {} : { azurite: azuriteOfHost(stack.storage) }),
    container: stack.host.container,
    ...(outboxDir === undefined ? {} : { outboxDir }),
  });
  const watch = watchLocalSettings({
    file: resolve('local.settings.json'),
    running: settings,
    read: () => localHostSettings(environmentWithLocalSettings()),
    log: print,
  });
  print({
    level: 'info',
    source: 'host',
    text: `running as pid ${process.pid}; ${HOST_LOCK} keeps a second host out of this folder`,
  });

  return new Promise((done) => {
    let stopping = false;
    onSignal = (signal) => {
      // A second Ctrl-C: leave now. Azurite sees its pipe close and shuts down by itself; the lock goes on exit.
      if (stopping) process.exit(130);
      stopping = true;
      watch.stop();
      process.stdout.write(
        `\n${signal}: finishing the invocation in progress, then stopping (Ctrl-C again to force)\n`,
      );
      stack
        .stop()
        .then(() => sinks?.stop())
        .then(
          () => done(0),
          (error: unknown) => {
            process.stderr.write(`error while stopping: ${String(error)}\n`);
            done(1);
          },
        );
    };
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
