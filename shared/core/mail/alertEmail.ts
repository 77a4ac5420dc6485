import type { TelemetryRecord } from '../export/telemetryRecord';
import type { AlertRule } from '../rules/alertRule';

/** Everything one alert e-mail says: the rule that fired, where, and the matches it shows. */
export interface AlertDigest {
  readonly rule: AlertRule;
  /** The app of the blob, e.g. `shop-prod`. */
  readonly appName: string;
  /** `<app>_<ikey>`, the export folder of the blob. */
  readonly folder: string;
  readonly blobName: string;
  /** The GroupBy values the e-mail is about, e.g. label `tenant=acme`, values `{ tenant: 'acme' }`. */
  readonly group?: { readonly label: string; readonly values: Readonly<Record<string, string>> };
  /** The matches shown (at most `rule.maxEvents`), earliest first. */
  readonly events: readonly TelemetryRecord[];
  /** Matching records, and the sum of their `itemCount` (they differ when the telemetry was sampled). */
  readonly matched: { readonly rows: number; readonly weighted: number };
  /** Matches throttled since the last e-mail of this alert. */
  readonly suppressed?: { readonly rows: number; readonly weighted: number; readonly since: Date };
  /** Matches counted while the rule was muted since the last e-mail of this alert, not sent then. */
  readonly muted?: { readonly rows: number; readonly weighted: number; readonly since?: Date };
  /** For a windowed threshold: the weighted matches in the busiest window that made it fire. */
  readonly window?: { readonly minutes: number; readonly weighted: number; readonly threshold: number };
  /** Event time range of the matches. */
  readonly firstEventAt: Date;
  readonly lastEventAt: Date;
  /** Weighted matches per epoch minute (the bucket's, as placed by `placeEventMinute`): the chart. */
  readonly minutes?: ReadonlyMap<number, number>;
  /** IANA zone the e-mail writes times in (ALERT_TIME_ZONE); UTC when not given. */
  readonly timeZone?: string;
  /**
   * The app's Application Insights resource id from its APPINSIGHTS_RESOURCE_ID_<app> setting: the
   * resource links open, unless the matches' own `_ResourceId` or the rule's ResourceId names one.
   */
  readonly appResourceId?: string;
  /** Traces the e-mail back to its alert in the ledger: sent as a header, never in the body. */
  readonly ledgerKey: string;
  /**
   * A test sent by `alerts send-test`, not an alert: nothing matched, and the subject and the body say
   * so, so that nobody acts on it.
   */
  readonly test?: boolean;
}

/** A composed e-mail, ready for any `Mailer`. Header-bound strings hold no control characters. */
export interface AlertEmail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Sent as SendGrid `custom_args`, so delivery events name the alert: `ledgerKey`, `rule`, `app`. */
  readonly customArgs: Readonly<Record<string, string>>;
  /** Extra `X-` headers, e.g. `X-Alert-Ledger-Key`. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Header carrying the ledger key, in SendGrid requests and outbox files alike. */
export const LEDGER_KEY_HEADER = 'X-Alert-Ledger-Key';
