import type { AlertDigest } from '../mail/alertEmail';
import { componentOf, isPortalHref, logsQueryLink } from '../mail/portalLinks';

/** A button or link of a notice: a title this app wrote and a target it built. */
export interface NoticeLink {
  readonly title: string;
  readonly url: string;
}

const MINUTE = 60_000;

/**
 * "Open in Log Analytics": the rule's query on its resource over the alert's minutes, the e-mail's link
 * (mail/portalLinks.ts). The resource is the rule's ResourceId, else the app's APPINSIGHTS_RESOURCE_ID_
 * setting, each only if it is a valid component id. NOTE: unlike the e-mail, a notice never takes the
 * resource from the matches' `_ResourceId`: no telemetry value reaches a chat message's link target.
 */
export function noticeLinks(digest: AlertDigest): NoticeLink[] {
  const component = componentOf(digest.rule.notifications.resourceId) ?? componentOf(digest.appResourceId);
  if (component === undefined) return [];
  const from = Math.floor(digest.firstEventAt.getTime() / MINUTE) * MINUTE;
  const to = Math.floor(digest.lastEventAt.getTime() / MINUTE) * MINUTE + MINUTE;
  const url = logsQueryLink(component, digest.rule.query, new Date(from), new Date(to));
  return isSafeLinkTarget(url) ? [{ title: 'Open in Log Analytics', url }] : [];
}

/**
 * Whether a payload may carry `url` as a link: an Azure portal address of URL-safe characters only
 * (`isPortalHref`, the e-mail's check), at most 8,000 characters (Slack refuses a button URL over 3,000,
 * so its builder is stricter still). The builders check every link again, so a notice assembled
 * elsewhere cannot smuggle a target in.
 */
export function isSafeLinkTarget(url: string): boolean {
  return url.length <= 8_000 && isPortalHref(url);
}
