import { APP_RESOURCE_ID_PREFIX, appSettingSuffix, type NoticeSettings } from '../../core/mail/noticeSettings';
import { componentOf } from '../../core/mail/portalLinks';
import { isTimeZone } from '../../core/mail/zonedTime';
import { type Env, readString } from './settingValues';

const RESOURCE_ID_SHAPE =
  '/subscriptions/<subscription GUID>/resourceGroups/<group>/providers/microsoft.insights/components/<name>';

/**
 * Reads what shapes every alert e-mail, pushing a problem per bad setting: ALERT_TIME_ZONE (an IANA
 * zone, default UTC) and each APPINSIGHTS_RESOURCE_ID_<app> (the app's Application Insights resource
 * id, which links to Log Analytics and to transactions are built from; blank means none).
 */
export function readNoticeSettings(env: Env, problems: string[]): NoticeSettings {
  const timeZone = readString(env, 'ALERT_TIME_ZONE', 'UTC', problems);
  if (!isTimeZone(timeZone)) {
    problems.push(
      `ALERT_TIME_ZONE must be an IANA time zone such as Europe/Berlin or UTC, found '${timeZone.slice(0, 100)}'`,
    );
  }
  const appResourceIds: Record<string, string> = {};
  const settingOf = new Map<string, string>();
  for (const [key, raw] of Object.entries(env)) {
    if (!key.startsWith(APP_RESOURCE_ID_PREFIX) || raw === undefined || raw.trim() === '') continue;
    const suffix = appSettingSuffix(key.slice(APP_RESOURCE_ID_PREFIX.length));
    const component = componentOf(raw.trim());
    if (suffix.replace(/_/g, '') === '') {
      problems.push(`${key}: name the app after ${APP_RESOURCE_ID_PREFIX}, e.g. ${APP_RESOURCE_ID_PREFIX}SHOP_PROD`);
    } else if (component === undefined) {
      problems.push(
        `${key} must be an Application Insights resource id (${RESOURCE_ID_SHAPE}), found '${raw.trim().slice(0, 200)}'`,
      );
    } else if (settingOf.has(suffix) && appResourceIds[suffix]?.toLowerCase() !== component.id.toLowerCase()) {
      problems.push(
        `${key} and ${settingOf.get(suffix)} name the same app (${suffix}) with different resource ids; keep one`,
      );
    } else {
      appResourceIds[suffix] = component.id;
      settingOf.set(suffix, key);
    }
  }
  return { timeZone: isTimeZone(timeZone) ? timeZone : 'UTC', appResourceIds };
}
