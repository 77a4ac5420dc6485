import type { ExportSource } from '../status/exportActivity';
import { isIgnored, type WatchSettings } from './healthSettings';
import { DAY_MS, deliveredSteadily, type SourceHealth, sourceKey } from './sourceHealth';

/**
 * What the watchdog keeps of a source between runs, one small entity each: nothing while it delivers;
 * `stopped` from the e-mail that said so until data flows again; `resumed` for a day after that, so a
 * relapse is reported even before the source is steady again.
 */
export type WatchState =
  | { readonly kind: 'stopped'; /** Its last delivery before the silence, epoch ms. */ readonly since: number }
  | {
      readonly kind: 'resumed';
      readonly since: number;
      /** The delivery that ended the silence. */ readonly resumedAt: number;
    };

export interface StoredWatch {
  readonly app: string;
  readonly type: string;
  readonly source: ExportSource;
  readonly state: WatchState;
  /** The stored version (ETag) a change of it is conditional on. */
  readonly version: string;
}

/** A watched source that went quiet for longer than its threshold. */
export interface StoppedSource {
  readonly health: SourceHealth;
  /** Its last delivery. */
  readonly since: number;
  readonly staleMinutes: number;
  readonly previous?: StoredWatch;
}

/** A source reported stopped that delivered again. */
export interface ResumedSource {
  readonly health: SourceHealth;
  readonly since: number;
  readonly resumedAt: number;
  readonly previous: StoredWatch;
}

export interface WatchPlan {
  readonly stopped: readonly StoppedSource[];
  readonly resumed: readonly ResumedSource[];
  /** Watch entities no longer needed: resumed a day ago or steady again, ignored, or their source is gone. */
  readonly forget: readonly StoredWatch[];
  /** Sources watched this run: delivered in the last day, steadily (or recently resumed), not ignored. */
  readonly watched: number;
  /** Sources with a delivery in the last day that are not watched: idle by nature, new, or ignored. */
  readonly unwatched: number;
}

/**
 * The watchdog's decision for one run, from the status entities and its own state; pure, so two
 * timers at once decide the same and only the conditional write of the outcome tells them apart.
 *
 * - A source is watched when it delivered within the last day and either delivered in each of the
 *   `steadyHours` clock hours up to its last delivery, or resumed within the last day.
 * - Watched and quiet for its source's threshold: stopped, since its last delivery.
 * - Reported stopped and delivered since: resumed.
 */
export function planWatch(
  sources: readonly SourceHealth[],
  watches: readonly StoredWatch[],
  settings: WatchSettings,
  now: number,
): WatchPlan {
  const byKey = new Map(watches.map((w) => [sourceKey(w.app, w.type), w]));
  const stopped: StoppedSource[] = [];
  const resumed: ResumedSource[] = [];
  const forget: StoredWatch[] = [];
  let watched = 0;
  let unwatched = 0;
  for (const health of [...sources].sort(byName)) {
    const { app, type, source, last } = health.status;
    const key = sourceKey(app, type);
    const watch = byKey.get(key);
    byKey.delete(key);
    const recent = last !== undefined && now - last.at < DAY_MS;
    if (last === undefined || isIgnored(settings, app, type)) {
      if (recent) unwatched++;
      if (watch) forget.push(watch);
      continue;
    }
    const state = watch?.state;
    if (watch && state?.kind === 'stopped') {
      watched++;
      if (last.at > state.since) resumed.push({ health, since: state.since, resumedAt: last.at, previous: watch });
      continue;
    }
    const steady = deliveredSteadily(health.deliveredHours, last.at, settings.steadyHours);
    const relapse = state?.kind === 'resumed' && now - state.resumedAt < DAY_MS;
    if (!recent || !(steady || relapse)) {
      if (recent) unwatched++;
      if (watch) forget.push(watch);
      continue;
    }
    watched++;
    const staleMinutes = settings.staleMinutes[source];
    if (now - last.at >= staleMinutes * 60_000)
      stopped.push({ health, since: last.at, staleMinutes, ...(watch ? { previous: watch } : {}) });
    else if (watch && steady) forget.push(watch);
  }
  forget.push(...byKey.values());
  return { stopped, resumed, forget, watched, unwatched };
}

function byName(a: SourceHealth, b: SourceHealth): number {
  return compare(a.status.app, b.status.app) || compare(a.status.type, b.status.type);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
