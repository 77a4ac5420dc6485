import { durationText, type ResolvedNotice } from '../mail/composeResolvedEmail';
import { type ChannelNotice, channelNotice } from './channelNotice';

/**
 * The channel notice of a RESOLVED alert: what its e-mail says (group, matches during the alert, how
 * long it lasted, the same Log Analytics link), without events: an alert that is over has no new ones.
 */
export function resolvedChannelNotice(notice: ResolvedNotice): ChannelNotice {
  const { rule } = notice;
  const told = channelNotice(
    {
      rule,
      appName: notice.appName,
      folder: notice.folder,
      blobName: notice.blobName,
      ...(notice.group === undefined ? {} : { group: notice.group }),
      events: [],
      matched: notice.matched,
      window: { minutes: rule.windowMinutes, weighted: 0, threshold: rule.threshold },
      // The link and the time range cover the alert's events, else the alert itself.
      firstEventAt: notice.events?.first ?? notice.firstFiredAt,
      lastEventAt: notice.events?.last ?? notice.resolvedAt,
      timeZone: notice.timeZone,
      ...(notice.appResourceId === undefined ? {} : { appResourceId: notice.appResourceId }),
      ledgerKey: notice.ledgerKey,
    },
    'RESOLVED',
  );
  const firings = notice.firings === 1 ? '1 alert' : `${notice.firings} alerts`;
  return {
    ...told,
    summary: `${told.summary} It lasted ${durationText(notice.resolvedAt.getTime() - notice.firstFiredAt.getTime())} (${firings}).`,
  };
}
