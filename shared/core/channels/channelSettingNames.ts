import type { ChannelRef } from '../rules/ruleNotifications';
import type { ChannelKind } from './channelPayload';

/** The prefix of the setting that holds each kind of channel's URL: `teams:OPS` → TEAMS_WEBHOOK_OPS. */
export const CHANNEL_URL_SETTINGS: Readonly<Record<ChannelKind, string>> = {
  teams: 'TEAMS_WEBHOOK_',
  slack: 'SLACK_WEBHOOK_',
  webhook: 'WEBHOOK_URL_',
};
/** The prefix of a generic webhook's signing key: WEBHOOK_SECRET_<NAME>. */
export const WEBHOOK_SECRET_SETTING = 'WEBHOOK_SECRET_';

/** The settings a channel needs: its URL, and for a generic webhook its secret too. */
export function channelSettingNames(ref: Pick<ChannelRef, 'kind' | 'name'>): string[] {
  const url = `${CHANNEL_URL_SETTINGS[ref.kind]}${ref.name}`;
  return ref.kind === 'webhook' ? [url, `${WEBHOOK_SECRET_SETTING}${ref.name}`] : [url];
}
