import type { ExportSource } from '../status/exportActivity';

/** How the export watchdog decides that an export stopped (EXPORT_STALE_MINUTES*, EXPORT_WATCH_*). */
export interface WatchSettings {
  /** Minutes without a new delivery after which a watched export counts as stopped, per source. */
  readonly staleMinutes: Readonly<Record<ExportSource, number>>;
  /**
   * A source is watched only when it delivered in each of this many clock hours (UTC) up to its last
   * delivery: 24 watches only what flows day and night, so an app idle by nature is left alone.
   */
  readonly steadyHours: number;
  /** Apps (`shop-prod`) and app/type pairs (`shop-prod/AppTraces`), lower-cased, never watched. */
  readonly ignore: readonly string[];
}

/** Where the app's own health goes, and how often (HEALTH_*). */
export interface HealthSettings {
  /** HEALTH_ALERT_RECIPIENTS; none: the watchdog and the digest are off. */
  readonly recipients: readonly string[];
  /** At most one digest e-mail per this many minutes (HEALTH_DIGEST_MINUTES). */
  readonly digestMinutes: number;
  readonly watch: WatchSettings;
}

/**
 * Minutes of silence before an export counts as stopped, chosen from each export's documented delay
 * (shared/notes): Continuous Export "can have a delay of about an hour" and field reports see two, so
 * two hours; diagnostic settings append "as data arrives", within minutes, so half an hour; data export
 * files by TimeGenerated after workspace ingestion, in 5-minute folders, so an hour.
 */
export const DEFAULT_STALE_MINUTES: Readonly<Record<ExportSource, number>> = {
  continuousExport: 120,
  diagnosticSettings: 30,
  dataExport: 60,
};

/** The setting of each source's threshold: `EXPORT_STALE_MINUTES_<SOURCE>`. */
export const STALE_SETTINGS: Readonly<Record<ExportSource, string>> = {
  continuousExport: 'EXPORT_STALE_MINUTES_CONTINUOUS_EXPORT',
  diagnosticSettings: 'EXPORT_STALE_MINUTES_DIAGNOSTIC_SETTINGS',
  dataExport: 'EXPORT_STALE_MINUTES_DATA_EXPORT',
};

export const DEFAULT_STEADY_HOURS = 24;
export const DEFAULT_DIGEST_MINUTES = 60;

/** Whether the settings leave this app and type out of the watch (EXPORT_WATCH_IGNORE). */
export function isIgnored(settings: WatchSettings, app: string, type: string): boolean {
  const a = app.toLowerCase();
  const pair = `${a}/${type.toLowerCase()}`;
  return settings.ignore.some((entry) => entry === a || entry === pair);
}
