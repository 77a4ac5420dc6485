import type { ChannelNotice } from './channelNotice';
import type { ChannelKind, ChannelPayload } from './channelPayload';
import { slackMessage } from './slackMessage';
import { teamsMessage } from './teamsCard';
import { webhookRequest } from './webhookPayload';

/** The payload of a notice for one kind of channel. Pure, so a re-drive rebuilds the same bytes. */
export function noticePayload(kind: ChannelKind, notice: ChannelNotice): ChannelPayload {
  switch (kind) {
    case 'teams':
      return teamsMessage(notice);
    case 'slack':
      return slackMessage(notice);
    case 'webhook':
      return webhookRequest(notice);
  }
}
