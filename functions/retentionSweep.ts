import { performance } from 'node:perf_hooks';

import type { InvocationContext, Timer } from '@azure/functions';

import { type AppConfig, checkConfig } from '../shared/adapters/settings/config';
import { tableClientFrom } from '../shared/adapters/storage/clients';
import { TableCursorStore } from '../shared/adapters/storage/tableCursorStore';
import { runRetentionSweep } from '../shared/composition/runRetentionSweep';
import { formatSweepSummary } from '../shared/core/retention/formatSweepSummary';
import { refusedSweep, type SweepSummary } from '../shared/core/retention/sweepSummary';
import { registerWhenConfigured } from './appSettings';

export interface RetentionSweepDeps {
  /** The clock retention is measured against; default the system clock. */
  readonly now?: () => Date;
}

/**
 * Timer: deletes expired export blobs within a per-run budget and logs one summary. A past-due tick
 * (the host was down) simply runs: the sweep is idempotent.
 * @param config - the configuration checked once at startup
 */
export function retentionSweepHandler(config: AppConfig, deps: RetentionSweepDeps = {}) {
  const now = deps.now ?? (() => new Date());
  // The cursors of deleted append blobs go with them, so the cursor table stays as small as the export.
  const cursors = config.stateConnection
    ? new TableCursorStore(tableClientFrom(config.stateConnection, config.scan.cursorTable))
    : undefined;
  return async (timer: Timer, context: InvocationContext): Promise<SweepSummary> => {
    const summary = await runRetentionSweep(config.retention, {
      now: now(),
      stopwatch: () => performance.now(),
      logger: { info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) },
      ...(cursors
        ? { onDeleted: (container: string, names: readonly string[]) => cursors.remove(container, names) }
        : {}),
    });
    return logged(summary, timer, context);
  };
}

/**
 * The same sweep with the settings read from `process.env` at each call, for callers that set them
 * after this module loaded (tests). Invalid settings, retention's or any other, refuse the
 * run: it logs every problem as an error and deletes nothing.
 */
export async function retentionSweep(timer: Timer, context: InvocationContext): Promise<SweepSummary> {
  const config = checkConfig(process.env);
  if (!config.ok) return logged(refusedSweep(config.error.problems), timer, context);
  return retentionSweepHandler(config.value)(timer, context);
}

function logged(summary: SweepSummary, timer: Timer, context: InvocationContext): SweepSummary {
  const text = `${formatSweepSummary(summary)}${timer.isPastDue ? '\n  (past-due tick)' : ''}`;
  if (summary.status === 'refused') context.error(text);
  else context.log(text);
  return summary;
}

registerWhenConfigured('retentionSweep', ({ app, config }) =>
  app.timer('retentionSweep', {
    // NOTE: taken from the checked configuration rather than '%RETENTION_SCHEDULE%', so the setting
    // can be left out: the host refuses to index a function whose binding names a missing setting.
    schedule: config.retention.schedule,
    handler: retentionSweepHandler(config),
  }),
);
