import { alertMaintenanceHandler } from '../functions/alertMaintenance';
import { exportLogScanHandler } from '../functions/exportLogScan';
import { retentionSweep } from '../functions/retentionSweep';
import { loadConfig } from '../shared/adapters/settings/config';
import { retentionScheduleFrom } from '../shared/adapters/settings/retentionSettings';
import type { Mailer } from '../shared/core/mail/mailer';
import { pollIntervalMs } from './localSettings';
import type { TimerHandler } from './timerRunner';

/** What the local host's caller replaces in the handlers it runs (a test's mailer). */
export interface HandlerOverrides {
  readonly mailer?: Mailer;
}

/** A timer function of the app, as the local host schedules it. */
export interface TimerFunction {
  /** The name it is registered under with `app.timer`; also the key of its schedule status. */
  readonly name: string;
  /** The NCRONTAB expression it is registered with, from the app settings. */
  readonly schedule: (settings: Readonly<Record<string, string | undefined>>) => string;
  readonly handler: (overrides: HandlerOverrides) => TimerHandler;
}

/** Every timer function of the app: a new one is one more line here. */
export const TIMER_FUNCTIONS: readonly TimerFunction[] = [
  { name: 'retentionSweep', schedule: retentionScheduleFrom, handler: () => retentionSweep },
  {
    name: 'alertMaintenance',
    schedule: (settings) => loadConfig(settings).maintenanceSchedule,
    handler: (overrides) => alertMaintenanceHandler(overrides),
  },
  { name: 'exportLogScan', schedule: localScanSchedule, handler: (overrides) => exportLogScanHandler(overrides) },
];

/**
 * Locally the append-blob scanner follows the poll interval (LOCAL_POLL_SECONDS), as the blob
 * container is polled, so a replayed append shows within seconds; deployed, EXPORT_SCAN_SCHEDULE.
 */
function localScanSchedule(settings: Readonly<Record<string, string | undefined>>): string {
  const seconds = Math.max(1, Math.round(pollIntervalMs(settings) / 1000));
  return seconds >= 1 && seconds < 60 && 60 % seconds === 0
    ? `*/${seconds} * * * * *`
    : loadConfig(settings).scan.schedule;
}
