#!/usr/bin/env node
import '../local/quietTestMode';

import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import type { CliIo } from '../cli/cliIo';
import { runCli } from '../cli/main';
import { DEMO_IKEY } from '../cli/replayCommand';
import { CHANNEL_OUTBOX, startChannelSinks } from '../local/channelSinks';
import { DevelopmentStorageError } from '../local/developmentStorage';
import { HOST_LOCK, runningHost } from '../local/hostLock';
import type { HostLogLine } from '../local/hostLog';
import { AZURITE_DIR, localHostSettings } from '../local/localSettings';
import { startLocalStack } from '../local/localStack';
import { azuriteOfHost, processOutput, takeFolder } from '../local/takeFolder';
import { readChannelSettings } from '../shared/adapters/settings/channelSettings';
import { environmentWithLocalSettings } from '../shared/adapters/settings/localSettingsFile';
import { ConfigError } from '../shared/core/errors';
import type { TelemetryType } from '../shared/core/export/telemetryTypes';
import { exportBlobPath, FAILED_CHECKOUT, generateBlobText, type InjectTarget, plantRequest } from './exportGenerator';

export const DEMO_APP = 'contoso-shop';
export const DEMO_RULE = {
  scope: DEMO_APP,
  id: 'demo-checkout-errors',
  query: 'requests | where resultCode == "503" and name == "POST /checkout"',
};
/** The same alert written in the workspace schema, on the diagnostic-settings export of the same app. */
export const DEMO_WORKSPACE_RULE = {
  scope: DEMO_APP,
  id: 'demo-checkout-errors-ws',
  query: 'AppRequests | where ResultCode == "503" and Name == "POST /checkout"',
};
const DEMO_TIMEOUT_MS = 60_000;

export interface DemoOptions {
  /** The app settings of the running local host (see `localHostSettings`). */
  readonly settings: Readonly<Record<string, string | undefined>>;
  /** Where the running local host writes e-mails. */
  readonly outboxDir: string;
  readonly io: CliIo;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
  /**
   * Where the local channel receivers write payloads (`local/channelSinks.ts`): with channel settings
   * that point at this machine, the demo rule notifies those channels too and the demo waits for them.
   */
  readonly channelOutDir?: string;
}

export interface DemoResult {
  readonly emlPath: string;
  readonly subject: string;
  /** The alert of the diagnostic-settings append blob. */
  readonly diagnostic: { readonly emlPath: string; readonly subject: string };
  /** The payloads the local Teams, Slack and webhook receivers wrote for the demo rule, by channel. */
  readonly channels: readonly { readonly channel: string; readonly file: string }[];
}

/** The demo could not finish: no e-mail in time, or a command failed; the message says where to look. */
export class DemoError extends Error {
  constructor(
    readonly code: 'DEMO_NO_EMAIL' | 'DEMO_COMMAND_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'DemoError';
  }
}

/**
 * The demo against a running local host (this process's or `npm start`'s): adds one rule with
 * `export-alerts rules add`, uploads a generated Requests blob with three matching failures and an
 * Exceptions blob with `export-alerts replay`, and waits for the alert e-mail in the outbox.
 * The commands get the host's connections and container explicitly, so they write where it reads.
 * @throws DemoError when a command fails or no e-mail arrives within `timeoutMs`
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const now = (options.now ?? (() => new Date()))();
  const s = options.settings;
  const storage = (...keys: string[]): string =>
    keys.map((k) => s[k]).find((v) => v !== undefined && v.trim() !== '') ?? 'UseDevelopmentStorage=true';
  const before = new Set(await emlFiles(options.outboxDir));
  const channels = options.channelOutDir === undefined ? [] : localChannels(s);
  const channelsBefore = new Set(await payloadFiles(options.channelOutDir, channels));
  for (const rule of [DEMO_RULE, DEMO_WORKSPACE_RULE]) {
    await cli(
      options.io,
      'rules',
      'add',
      '--scope',
      rule.scope,
      '--id',
      rule.id,
      '--query',
      rule.query,
      '--to',
      'oncall@example.com',
      '--severity',
      '1',
      '--throttle',
      '0',
      ...(rule === DEMO_RULE && channels.length > 0 ? ['--notify', channels.join(',')] : []),
      '--connection',
      storage('ALERT_RULES_STORAGE', 'AzureWebJobsStorage'),
    );
  }

  const folder = await mkdtemp(join(tmpdir(), 'export-alerts-demo-'));
  try {
    await writeSample(folder, 'Requests', now, 60, { inject: failedCheckout });
    await writeSample(folder, 'Exceptions', now, 10);
    await cli(
      options.io,
      'replay',
      folder,
      '--connection',
      storage('EXPORT_STORAGE', 'AzureWebJobsStorage'),
      '--container',
      s['EXPORT_CONTAINER'] ?? 'export',
    );
    const diagnostic = await mkdtemp(join(tmpdir(), 'export-alerts-demo-diag-'));
    try {
      await writeDiagnosticSample(diagnostic, now);
      await cli(
        options.io,
        'replay',
        diagnostic,
        '--appends',
        '3',
        '--connection',
        storage('EXPORT_STORAGE', 'AzureWebJobsStorage'),
      );
    } finally {
      await rm(diagnostic, { recursive: true, force: true });
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }

  const deadline = Date.now() + (options.timeoutMs ?? DEMO_TIMEOUT_MS);
  const found = new Map<string, { emlPath: string; subject: string }>();
  while (Date.now() < deadline) {
    for (const file of (await emlFiles(options.outboxDir)).filter((f) => !before.has(f)).sort()) {
      const emlPath = join(options.outboxDir, file);
      const subject = emlSubject(await readFile(emlPath, 'utf8'));
      for (const rule of [DEMO_WORKSPACE_RULE, DEMO_RULE]) {
        if (!found.has(rule.id) && subject.includes(`${rule.id}:`)) found.set(rule.id, { emlPath, subject });
      }
    }
    const classic = found.get(DEMO_RULE.id);
    const workspace = found.get(DEMO_WORKSPACE_RULE.id);
    const notices = (await payloadFiles(options.channelOutDir, channels)).filter((f) => !channelsBefore.has(f));
    const delivered = channels.flatMap((channel) => {
      const file = notices.find((f) => f.startsWith(join(options.channelOutDir ?? '', channelFolder(channel))));
      return file === undefined ? [] : [{ channel, file }];
    });
    if (classic && workspace && delivered.length === channels.length)
      return { ...classic, diagnostic: workspace, channels: delivered };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new DemoError(
    'DEMO_NO_EMAIL',
    `no alert e-mail reached ${options.outboxDir} within ${Math.round((options.timeoutMs ?? DEMO_TIMEOUT_MS) / 1000)} s; ` +
      `the host's lines above say what happened to the blobs (is rule ${DEMO_RULE.scope}/${DEMO_RULE.id} valid? did it match?)` +
      (channels.length > 0 ? ` and to its notices to ${channels.join(', ')}` : ''),
  );
}

/** The channels the settings point at this machine (`TEAMS_WEBHOOK_LOCAL=http://127.0.0.1:7072/…`): `teams:LOCAL`. */
function localChannels(settings: Readonly<Record<string, string | undefined>>): string[] {
  return readChannelSettings(settings, [])
    .targets.filter((t) => /^http:\/\/(localhost|127\.0\.0\.1)[:/]/.test(t.url))
    .map((t) => `${t.kind}:${t.name}`);
}

/** `teams:LOCAL` → `teams-LOCAL`, the receiver's folder for it. */
function channelFolder(channel: string): string {
  return channel.replace(':', '-');
}

/** Every payload file the receivers wrote for these channels. */
async function payloadFiles(dir: string | undefined, channels: readonly string[]): Promise<string[]> {
  if (dir === undefined) return [];
  const files: string[] = [];
  for (const channel of channels) {
    const folder = join(dir, channelFolder(channel));
    try {
      for (const file of await readdir(folder)) files.push(join(folder, file));
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    }
  }
  return files;
}

/**
 * A diagnostic-settings PT1H.json of the demo app, as an archive of `insights-logs-apprequests` holds
 * it: 12 requests, three of them failed checkouts. Replay files it under the current hour.
 */
async function writeDiagnosticSample(folder: string, now: Date): Promise<void> {
  const resource = `/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/DEMO/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/${DEMO_APP.toUpperCase()}`;
  const d = now;
  const pad = (n: number) => String(n).padStart(2, '0');
  const file = join(
    folder,
    'insights-logs-apprequests',
    `resourceId=${resource}`,
    `y=${d.getUTCFullYear()}`,
    `m=${pad(d.getUTCMonth() + 1)}`,
    `d=${pad(d.getUTCDate())}`,
    `h=${pad(d.getUTCHours())}`,
    'm=00',
    'PT1H.json',
  );
  const rows = Array.from({ length: 12 }, (_, i) => {
    const failed = i % 4 === 1;
    return JSON.stringify({
      time: new Date(now.getTime() - (12 - i) * 5_000).toISOString(),
      resourceId: resource,
      Type: 'AppRequests',
      AppRoleName: 'Contoso.Shop',
      Id: randomUUID().slice(0, 16),
      Name: failed ? `${FAILED_CHECKOUT.method} ${FAILED_CHECKOUT.path}` : 'GET /products',
      Url: failed ? `https://${FAILED_CHECKOUT.host}${FAILED_CHECKOUT.path}` : 'https://shop.contoso.com/products',
      Success: !failed,
      ResultCode: failed ? '503' : '200',
      DurationMs: failed ? 1830.5 : 42.1,
      ItemCount: 1,
      Properties: { tenant: 'contoso', city: 'Zürich' },
    });
  });
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${rows.join('\n')}\n`);
}

/** Three failed checkouts (rows 7, 19 and 31) among ordinary traffic. */
function failedCheckout(row: InjectTarget): void {
  if (row.index % 12 === 7 && row.index <= 31) plantRequest(row, FAILED_CHECKOUT);
}

async function writeSample(
  folder: string,
  type: TelemetryType,
  now: Date,
  rows: number,
  options: { inject?: (row: InjectTarget) => void } = {},
): Promise<void> {
  const window = { start: new Date(now.getTime() - 5 * 60_000), end: now };
  const file = join(folder, exportBlobPath(DEMO_APP, DEMO_IKEY, type, now, `${randomUUID()}.blob`));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, generateBlobText(type, rows, `demo-${type}`, { window, ...options }));
}

async function cli(io: CliIo, ...argv: string[]): Promise<void> {
  const shown = argv.filter((a, i) => argv[i - 1] !== '--connection' && a !== '--connection');
  io.out(`$ export-alerts ${shown.map((a) => (/[\s"|]/.test(a) ? `'${a}'` : a)).join(' ')}`);
  const code = await runCli(argv, io);
  if (code !== 0)
    throw new DemoError(
      'DEMO_COMMAND_FAILED',
      `export-alerts ${argv[0] ?? ''} failed (exit code ${code}); its message is above`,
    );
}

async function emlFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.eml') && !f.startsWith('.'));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return [];
    throw error;
  }
}

/** The Subject header of an .eml file, unfolded and with RFC 2047 encoded words decoded. */
export function emlSubject(raw: string): string {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const line = head
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .find((l) => /^subject:/i.test(l));
  if (line === undefined) return '(no subject)';
  const value = line.slice(line.indexOf(':') + 1).trim();
  // NOTE: adjacent encoded words are decoded as one byte run, since a character may span two.
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/(=\?utf-8\?[QB]\?[^?]*\?=)+/gi, (run) =>
    Buffer.concat(
      [...run.matchAll(/=\?utf-8\?([QB])\?([^?]*)\?=/gi)].map(([, encoding, text = '']) =>
        encoding?.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            ),
      ),
    ).toString('utf8'),
  );
}

const stdoutIo: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

function print(line: HostLogLine): void {
  const text = line.text.split('\n').join('\n      ');
  (line.level === 'error' ? process.stderr : process.stdout).write(`  [${line.source}] ${text}\n`);
}

/**
 * `npm run demo`: attaches to a running `npm start` (when it writes to an outbox), or runs Azurite and
 * the local host in this process; mail always goes to the outbox, never to SendGrid.
 */
async function main(): Promise<number> {
  const azuriteDir = resolve(AZURITE_DIR);
  const attached = runningHost(resolve(HOST_LOCK));
  if (attached !== undefined) {
    if (attached.container === undefined) {
      process.stderr.write(
        `demo: ${attached.command} (pid ${attached.pid}) is still starting; run the demo again once it prints 'running'\n`,
      );
      return 1;
    }
    if (attached.outboxDir === undefined) {
      process.stderr.write(
        `demo: ${attached.command} (pid ${attached.pid}) sends mail with SendGrid; stop it, or restart it without SENDGRID_API_KEY, to see the e-mail in the outbox\n`,
      );
      return 1;
    }
    process.stdout.write(`demo: using the local host already running (pid ${attached.pid})\n`);
    return report(
      runDemo({
        settings: localHostSettings(environmentWithLocalSettings()),
        outboxDir: attached.outboxDir,
        io: stdoutIo,
        // npm start runs the receivers of the local channel settings and writes there.
        channelOutDir: resolve(CHANNEL_OUTBOX),
      }),
    );
  }
  // This process is the folder's host while the demo runs.
  const lock = takeFolder('npm run demo', processOutput);
  if (lock === undefined) return 1;
  const base = localHostSettings(environmentWithLocalSettings());
  const settings = { ...base, OUTBOX_DIR: base['OUTBOX_DIR'] ?? './outbox' };
  process.stdout.write(
    `demo: starting Azurite and the local host in this process; e-mail goes to ${resolve(settings.OUTBOX_DIR)}\n`,
  );
  const sinks = await startChannelSinks(readChannelSettings(settings, []).targets, {
    outDir: resolve(CHANNEL_OUTBOX),
    log: print,
  });
  const stack = await startLocalStack(azuriteDir, { settings, pollIntervalMs: 500, log: print });
  lock.update({
    ...(stack.storage === undefined ? {} : { azurite: azuriteOfHost(stack.storage) }),
    container: stack.host.container,
    outboxDir: resolve(settings.OUTBOX_DIR),
  });
  try {
    return await report(
      runDemo({
        settings,
        outboxDir: resolve(settings.OUTBOX_DIR),
        io: stdoutIo,
        channelOutDir: resolve(CHANNEL_OUTBOX),
      }),
    );
  } finally {
    await stack.stop();
    await sinks.stop();
  }
}

async function report(demo: Promise<DemoResult>): Promise<number> {
  try {
    const { emlPath, subject, diagnostic, channels } = await demo;
    process.stdout.write(
      `\nThe alert e-mails arrived:\n  Continuous Export blob:        ${emlPath}\n    Subject: ${subject}\n` +
        `  diagnostic-settings append blob: ${diagnostic.emlPath}\n    Subject: ${diagnostic.subject}\n` +
        channels.map(({ channel, file }) => `  ${channel} (local receiver): ${file}\n`).join('') +
        '\n' +
        'Open it with any mail client. Next: npx export-alerts rules list; npm start; npx export-alerts replay PATH\n',
    );
    return 0;
  } catch (error) {
    if (error instanceof DemoError) {
      process.stderr.write(`demo: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const known = error instanceof ConfigError || error instanceof DevelopmentStorageError;
      process.stderr.write(
        `demo: ${known || !(error instanceof Error) ? String((error as Error).message ?? error) : (error.stack ?? error.message)}\n`,
      );
      process.exit(1);
    },
  );
}
