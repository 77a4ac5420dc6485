import { join } from 'node:path';

import { type ChannelReceiver, startChannelReceiver } from '../scripts/channelReceivers';
import type { ChannelTarget } from '../shared/adapters/settings/channelSettings';
import type { HostLog } from './hostLog';

/** Where the local receivers write what they get: beside the e-mails of the outbox. */
export const CHANNEL_OUTBOX = join('outbox', 'channels');

export interface ChannelSinks {
  readonly receivers: readonly ChannelReceiver[];
  stop(): Promise<void>;
}

/**
 * Starts a local receiver (scripts/channelReceivers.ts) on each port of this machine that a channel
 * setting points at (`TEAMS_WEBHOOK_LOCAL=http://127.0.0.1:7072/teams/LOCAL`), so a rule with
 * `--notify teams:LOCAL` delivers to it under `npm start`. Each valid payload is written under
 * `outDir/<kind>-<NAME>/`. A port already taken is reported and skipped.
 */
export async function startChannelSinks(
  targets: readonly ChannelTarget[],
  options: { readonly outDir: string; readonly log: HostLog },
): Promise<ChannelSinks> {
  const byPort = new Map<number, ChannelTarget[]>();
  for (const target of targets) {
    const url = new URL(target.url);
    if (url.protocol !== 'http:' || !['localhost', '127.0.0.1'].includes(url.hostname)) continue;
    if (!url.pathname.startsWith(`/${target.kind}/${target.name}`)) {
      options.log({
        level: 'warn',
        source: 'channels',
        text: `${target.kind}:${target.name} points at this machine but not at /${target.kind}/${target.name}: the local receiver answers only that path`,
      });
    }
    const port = Number(url.port || 80);
    byPort.set(port, [...(byPort.get(port) ?? []), target]);
  }
  const receivers: ChannelReceiver[] = [];
  for (const [port, local] of byPort) {
    const secrets = Object.fromEntries(local.flatMap((t) => (t.secret === undefined ? [] : [[t.name, t.secret]])));
    try {
      const receiver = await startChannelReceiver({
        port,
        secrets,
        outDir: options.outDir,
        log: (text) => options.log({ level: 'info', source: 'channels', text }),
      });
      receivers.push(receiver);
      const names = local.map((t) => `${t.kind}:${t.name}`).join(', ');
      options.log({
        level: 'info',
        source: 'channels',
        text: `local receiver for ${names} on ${receiver.url}, payloads in ${options.outDir}`,
      });
    } catch (error) {
      options.log({
        level: 'warn',
        source: 'channels',
        text: `no local receiver on port ${port} (${(error as { code?: string }).code ?? String(error)}): ${local.map((t) => `${t.kind}:${t.name}`).join(', ')} will fail to deliver`,
      });
    }
  }
  return { receivers, stop: async () => void (await Promise.all(receivers.map((r) => r.close()))) };
}
