import type { InvocationContext, Timer } from '@azure/functions';

import { type AppConfig, loadConfig } from '../shared/adapters/settings/config';
import { maintenanceServices, type ServiceOverrides } from '../shared/composition/appServices';
import { maintainAlerts, type MaintenanceSummary } from '../shared/core/alerts/maintainAlerts';
import type { Logger } from '../shared/core/logger';
import { registerWhenConfigured } from './appSettings';

/**
 * Timer: re-drives alerts a dead or failed invocation left unsent (a claim whose lease passed, a
 * retryable failure, a summary never written), so no alert depends on the host still retrying its
 * blob; then expires old delivery records and idle group state. Logs one summary line.
 * @param config - the configuration checked once at startup; without it, read from process.env at each call (tests)
 */
export function alertMaintenanceHandler(overrides: ServiceOverrides = {}, config?: AppConfig) {
  return async (timer: Timer, context: InvocationContext): Promise<MaintenanceSummary | undefined> => {
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
    const summary = await maintainAlerts(deps);
    const text = describeMaintenance(summary) + (timer.isPastDue ? ' (past-due tick)' : '');
    if (summary.failed > 0 || summary.givenUp > 0) context.warn(text);
    else context.log(text);
    return summary;
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
