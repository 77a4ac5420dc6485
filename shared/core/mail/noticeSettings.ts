/** Settings that shape every alert e-mail, read once with the app's configuration. */
export interface NoticeSettings {
  /** IANA zone the e-mails' times are written in (ALERT_TIME_ZONE); `UTC` by default. */
  readonly timeZone: string;
  /**
   * Application Insights resource ids by app, from APPINSIGHTS_RESOURCE_ID_<app> settings, keyed by
   * `appSettingSuffix(app)`: what a Continuous Export alert links to Log Analytics with.
   */
  readonly appResourceIds: Readonly<Record<string, string>>;
}

export const DEFAULT_NOTICE_SETTINGS: NoticeSettings = { timeZone: 'UTC', appResourceIds: {} };

/** Settings naming an app's Application Insights resource: `APPINSIGHTS_RESOURCE_ID_SHOP_PROD`. */
export const APP_RESOURCE_ID_PREFIX = 'APPINSIGHTS_RESOURCE_ID_';

/**
 * The setting suffix of an app: upper-cased, every character but a letter or digit as `_`, since app
 * settings on Linux allow only those (`shop-prod` → `SHOP_PROD`).
 */
export function appSettingSuffix(app: string): string {
  return app.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The resource id configured for an app, if any. */
export function appResourceIdOf(settings: NoticeSettings, app: string): string | undefined {
  const key = appSettingSuffix(app);
  return Object.prototype.hasOwnProperty.call(settings.appResourceIds, key) ? settings.appResourceIds[key] : undefined;
}
