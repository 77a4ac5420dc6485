import { TELEMETRY_TYPE_NAMES } from '../../core/export/telemetryTypes';
import { WORKSPACE_TABLE_NAMES } from '../../core/export/workspaceTables';
import {
  DEFAULT_DIGEST_MINUTES,
  DEFAULT_STALE_MINUTES,
  DEFAULT_STEADY_HOURS,
  type HealthSettings,
  STALE_SETTINGS,
} from '../../core/health/healthSettings';
import { parseRecipients } from '../../core/rules/recipients';
import type { ExportSource } from '../../core/status/exportActivity';
import { type Env, optional, readWholeNumber } from './settingValues';

/**
 * The longest threshold: a source is watched only while its last delivery is within a day, so a
 * threshold must leave the timer an hour of that day to see the silence.
 */
export const MAX_STALE_MINUTES = 23 * 60;
const TYPES = new Set([...TELEMETRY_TYPE_NAMES, ...WORKSPACE_TABLE_NAMES].map((t) => t.toLowerCase()));

/** The watchdog's and the health digest's settings; adds what is wrong to `problems`. */
export function readHealthSettings(env: Env, problems: string[]): HealthSettings {
  const stale = (key: string, fallback: number): number =>
    readWholeNumber(env, key, fallback, { min: 1, max: MAX_STALE_MINUTES }, problems) ?? fallback;
  const global = optional(env['EXPORT_STALE_MINUTES']) === undefined ? undefined : stale('EXPORT_STALE_MINUTES', 0);
  const staleMinutes = Object.fromEntries(
    (Object.keys(DEFAULT_STALE_MINUTES) as ExportSource[]).map((source) => {
      const fallback = global || DEFAULT_STALE_MINUTES[source];
      return [source, stale(STALE_SETTINGS[source], fallback)];
    }),
  ) as Record<ExportSource, number>;
  return {
    recipients: readRecipients(env, problems),
    digestMinutes:
      readWholeNumber(env, 'HEALTH_DIGEST_MINUTES', DEFAULT_DIGEST_MINUTES, { min: 1, max: 24 * 60 }, problems) ??
      DEFAULT_DIGEST_MINUTES,
    watch: {
      staleMinutes,
      steadyHours:
        readWholeNumber(env, 'EXPORT_WATCH_STEADY_HOURS', DEFAULT_STEADY_HOURS, { min: 1, max: 24 }, problems) ??
        DEFAULT_STEADY_HOURS,
      ignore: readIgnoreList(env, problems),
    },
  };
}

/** HEALTH_ALERT_RECIPIENTS: addresses separated by `,` or `;`; none (unset or blank) turns health e-mails off. */
function readRecipients(env: Env, problems: string[]): string[] {
  const raw = optional(env['HEALTH_ALERT_RECIPIENTS']);
  if (raw === undefined) return [];
  const parsed = parseRecipients(raw);
  if (parsed.ok) return parsed.value;
  problems.push(`HEALTH_ALERT_RECIPIENTS: ${parsed.error}`);
  return [];
}

/** EXPORT_WATCH_IGNORE: `app` or `app/type` entries separated by commas, matched in any case. */
function readIgnoreList(env: Env, problems: string[]): string[] {
  const raw = optional(env['EXPORT_WATCH_IGNORE']);
  if (raw === undefined) return [];
  const entries: string[] = [];
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const [app = '', type, extra] = entry.split('/');
    if (app.trim() === '' || extra !== undefined || (type !== undefined && !TYPES.has(type.trim().toLowerCase()))) {
      problems.push(
        `EXPORT_WATCH_IGNORE: '${entry}' is not an app or app/type (a Continuous Export type such as Requests, or a table such as AppRequests)`,
      );
      continue;
    }
    entries.push(
      type === undefined ? app.trim().toLowerCase() : `${app.trim().toLowerCase()}/${type.trim().toLowerCase()}`,
    );
  }
  return entries;
}
