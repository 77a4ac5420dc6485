import type { ChannelSender } from '../../core/channels/channelSender';
import type { ChannelRef } from '../../core/rules/ruleNotifications';
import type { ChannelSettings, ChannelTarget } from '../settings/channelSettings';
import type { HttpChannelSenderOptions } from './httpChannelSender';
import { signedWebhookSender } from './signedWebhookSender';
import { slackWebhookSender } from './slackWebhookSender';
import { teamsWorkflowSender } from './teamsWorkflowSender';

/** What every sender shares: deadlines, budget, backoff and the clock (tests make them instant). */
export type ChannelSenderTuning = Omit<
  HttpChannelSenderOptions,
  'kind' | 'name' | 'url' | 'judge' | 'attemptHeaders' | 'secrets'
>;

/** The key of a channel in the map `createChannelSenders` returns: `teams:OPS`, as Notify writes it. */
export function channelKey(ref: Pick<ChannelRef, 'kind' | 'name'>): string {
  return `${ref.kind}:${ref.name}`;
}

/** One sender per configured channel, keyed by `channelKey`. */
export function createChannelSenders(
  settings: ChannelSettings,
  tuning: ChannelSenderTuning = {},
): ReadonlyMap<string, ChannelSender> {
  return new Map(settings.targets.map((target) => [channelKey(target), senderFor(target, tuning)]));
}

/** The sender of one configured channel. */
export function senderFor(target: ChannelTarget, tuning: ChannelSenderTuning = {}): ChannelSender {
  const options = { ...tuning, name: target.name, url: target.url };
  switch (target.kind) {
    case 'teams':
      return teamsWorkflowSender(options);
    case 'slack':
      return slackWebhookSender(options);
    case 'webhook':
      // A webhook without its secret never passes checkConfig; an empty key would sign for anyone.
      if (target.secret === undefined) throw new Error(`webhook:${target.name} has no WEBHOOK_SECRET_${target.name}`);
      return signedWebhookSender({ ...options, secret: target.secret });
  }
}
