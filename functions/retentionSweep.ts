import { performance } from 'node:perf_hooks';

import { app, type InvocationContext, type Timer } from '@azure/functions';

import { formatSweepSummary } from '../shared/retention/formatSweepSummary';
import { retentionScheduleFrom } from '../shared/retention/retentionSettings';
import { readRetentionSettings, runRetentionSweep } from '../shared/retention/runRetentionSweep';
import type { SweepSummary } from '../shared/retention/sweepSummary';

/**
 * Timer: deletes expired export blobs within a per-run budget and logs one summary. Invalid settings
 * make the run log them as an error and delete nothing (a 'refused' summary), on every tick until
 * fixed. A past-due tick (the host was down) simply runs: the sweep is idempotent.
 */
export async function retentionSweep(timer: Timer, context: InvocationContext): Promise<SweepSummary> {
  const settings = readRetentionSettings(process.env);
  const summary = settings.ok
    ? await runRetentionSweep(settings.value, {
        now: new Date(),
        stopwatch: () => performance.now(),
        logger: { info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) },
      })
    : settings.error;
  const text = `${formatSweepSummary(summary)}${timer.isPastDue ? '\n  (past-due tick)' : ''}`;
  if (summary.status === 'refused') context.error(text);
  else context.log(text);
  return summary;
}

app.timer('retentionSweep', {
  // NOTE: read here rather than as '%RETENTION_SCHEDULE%' so the setting can be left out: the host
  // refuses to index a function whose binding expression names a missing setting.
  schedule: retentionScheduleFrom(process.env),
  handler: retentionSweep,
});
