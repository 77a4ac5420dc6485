import type { InvocationContext, Timer } from '@azure/functions';

import { type AppConfig, loadConfig } from '../shared/adapters/settings/config';
import {
  budgetDigestServices,
  episodeServices,
  maintenanceServices,
  type ServiceOverrides,
} from '../shared/composition/appServices';
import { healthServices } from '../shared/composition/healthServices';
import { maintainAlerts, type MaintenanceSummary } from '../shared/core/alerts/maintainAlerts';
import { describeEpisodes, type EpisodeSummary, resolveEpisodes } from '../shared/core/alerts/resolveEpisodes';
import {
  type BudgetDigestSummary,
  describeBudgetDigests,
  sendBudgetDigests,
} from '../shared/core/alerts/sendBudgetDigests';
import { describeError } from '../shared/core/describeError';
import { describeDigest, type DigestSummary, sendHealthDigest } from '../shared/core/health/sendHealthDigest';
import { describeWatch, watchExports, type WatchSummary } from '../shared/core/health/watchExports';
import type { Logger } from '../shared/core/logger';
import { registerWhenConfigured } from './appSettings';

/** What one tick did: the alert maintenance summary, and the health steps' when they are on. */
export type MaintenanceRun = MaintenanceSummary & {
  readonly episodes?: EpisodeSummary;
  readonly recipientDigests?: BudgetDigestSummary;
  readonly watchdog?: WatchSummary;
  readonly digest?: DigestSummary;
};

/**
 * Timer, in steps that run one after the other and cannot stop each other (a step that throws is
 * logged, the next still runs, and the tick fails at the end with the first step's error):
 * - alert maintenance: re-drives alerts a dead or failed invocation left unsent (a claim whose lease
 *   passed, a retryable failure, a summary never written), so no alert depends on the host still
 *   retrying its blob; then expires old delivery records and idle group state;
 * - RESOLVED notices: each open episode a whole window quiet gets its one notice (resolveEpisodes.ts);
 * - recipient digests: each recipient's alerts past ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR in an hour
 *   that is over, in one e-mail (sendBudgetDigests.ts);
 * - the export watchdog: one e-mail to HEALTH_ALERT_RECIPIENTS when a steady export stops delivering,
 *   one when it flows again;
 * - the health digest: at most one e-mail per HEALTH_DIGEST_MINUTES listing the app's own failures.
 * Logs one summary line per step.
 * @param config - the configuration checked once at startup; without it, read from process.env at each call (tests)
 */
export function alertMaintenanceHandler(overrides: ServiceOverrides = {}, config?: AppConfig) {
  return async (timer: Timer, context: InvocationContext): Promise<MaintenanceRun | undefined> => {
    const settings = config ?? loadConfig();
    const logger: Logger = {
      info: (m) => context.log(m),
      warn: (m) => context.warn(m),
      error: (m) => context.error(m),
    };
    const deps = maintenanceServices(settings, logger, overrides);
    if (!deps) {
      context.warn('alert maintenance: AzureWebJobsStorage is not set, so there is no alert book to maintain');
      return undefined;
    }
    const failures: unknown[] = [];
    const step = stepRunner(logger, failures);
    const summary = await step('alert maintenance', () => maintainAlerts(deps));
    if (summary) {
      const text = describeMaintenance(summary) + (timer.isPastDue ? ' (past-due tick)' : '');
      if (summary.failed > 0 || summary.givenUp > 0) context.warn(text);
      else context.log(text);
    }
    const episodeDeps = episodeServices(settings, logger, overrides);
    const episodes = episodeDeps && (await step('resolved notices', () => resolveEpisodes(episodeDeps)));
    if (episodes) {
      const text = describeEpisodes(episodes);
      if (episodes.failed > 0) context.warn(text);
      else context.log(text);
    }
    const budgetDeps = budgetDigestServices(settings, logger, overrides);
    const recipientDigests = budgetDeps && (await step('recipient digests', () => sendBudgetDigests(budgetDeps)));
    if (recipientDigests) {
      const text = describeBudgetDigests(recipientDigests);
      if (recipientDigests.failed > 0 || recipientDigests.givenUp > 0) context.warn(text);
      else context.log(text);
    }
    const health = healthServices(settings, logger, overrides);
    let watchdog: WatchSummary | undefined;
    let digest: DigestSummary | undefined;
    if (!health) {
      context.log('export watchdog and health digest: off (HEALTH_ALERT_RECIPIENTS is not set)');
    } else {
      watchdog = await step('export watchdog', () => watchExports(health.watchdog));
      if (watchdog) {
        const text = describeWatch(watchdog);
        if (watchdog.emails.failed > 0 || watchdog.unreadable > 0) context.warn(text);
        else context.log(text);
      }
      digest = await step('health digest', () => sendHealthDigest(health.digest));
      if (digest) context.log(describeDigest(digest, settings.health.digestMinutes));
    }
    if (failures.length > 0 || summary === undefined) throw failures[0];
    return {
      ...summary,
      ...(episodes ? { episodes } : {}),
      ...(recipientDigests ? { recipientDigests } : {}),
      ...(watchdog ? { watchdog } : {}),
      ...(digest ? { digest } : {}),
    };
  };
}

/**
 * Runs one step of the tick: its failure is logged and kept for the end of the tick, never thrown
 * into the next step, so the export watchdog cannot hold up the alert re-drive, or the other way.
 */
function stepRunner(logger: Logger, failures: unknown[]) {
  return async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      failures.push(error);
      logger.error(`${name} failed (the other steps still ran): ${describeError(error)}`);
      return undefined;
    }
  };
}

/** The handler with settings read from process.env at each call, for tests that set them. */
export const alertMaintenance = alertMaintenanceHandler();

export function describeMaintenance(s: MaintenanceSummary): string {
  return (
    `alert maintenance: ${s.open} open records; sent ${s.sent}, failed ${s.failed}, refused ${s.rejected}, ` +
    `held by live claims ${s.busy}, summaries written ${s.summaries}, given up ${s.givenUp}, left for the next run ${s.deferred}; ` +
    `expired ${s.expiredRecords} delivery records and ${s.expiredStates} idle group states`
  );
}

registerWhenConfigured('alertMaintenance', ({ app, config, overrides }) =>
  app.timer('alertMaintenance', {
    schedule: config.maintenanceSchedule,
    handler: alertMaintenanceHandler(overrides, config),
  }),
);
