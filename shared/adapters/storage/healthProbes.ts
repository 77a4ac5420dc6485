import type { BlobServiceClient } from '@azure/storage-blob';

import type { InvalidRuleNote } from '../../core/health/collectDigest';
import type { RuleStore } from '../../core/rules/ruleStore';
import { describeStorageFailure, statusOf } from './storageFailure';

/** A request the account refused for who we are: a role or a key the settings got wrong, not a blip. */
export function isAccessDenied(error: unknown): boolean {
  const status = statusOf(error);
  return status === 401 || status === 403;
}

/**
 * The rules the catalog found invalid, from the LastError it writes next to each rule at every load,
 * so reading them compiles nothing. A rules table the app may not read is a configuration problem.
 */
export async function readInvalidRules(
  store: RuleStore,
  tableName: string,
): Promise<{ rules: InvalidRuleNote[]; problems: string[] }> {
  let entities;
  try {
    entities = await store.list();
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    return {
      rules: [],
      problems: [
        `the rules table ${tableName} (ALERT_RULES_STORAGE, else AzureWebJobsStorage) cannot be read: ${describeStorageFailure(error) ?? ''}; give the app's identity Storage Table Data Contributor on that account`,
      ],
    };
  }
  const rules: InvalidRuleNote[] = [];
  for (const entity of entities) {
    const lastError = entity.LastError;
    if (typeof lastError !== 'string' || lastError === '') continue;
    const rule = `${entity.partitionKey}/${entity.rowKey}`;
    // LastError starts `rule <scope>/<id>: ` (formatRuleProblems); the digest names the rule itself.
    const prefix = `rule ${rule}: `;
    rules.push({ rule, problem: lastError.startsWith(prefix) ? lastError.slice(prefix.length) : lastError });
  }
  return { rules, problems: [] };
}

/**
 * Containers the settings name that the export account does not have, or will not show: a name
 * mistyped in EXPORT_SCAN_CONTAINERS, a role missing. Without named containers, one listing of the
 * account tells whether it may be read at all. One request per container.
 */
export async function probeExportAccount(service: BlobServiceClient, containers: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const denied = (error: unknown): string =>
    `the export account (EXPORT_STORAGE, else AzureWebJobsStorage) refuses this app: ${describeStorageFailure(error) ?? ''}; give its identity Storage Blob Data Owner on that account, or fix the connection`;
  if (containers.length === 0) {
    try {
      await service.listContainers({ prefix: 'insights-logs-app' }).byPage({ maxPageSize: 1 }).next();
    } catch (error) {
      if (!isAccessDenied(error)) throw error;
      problems.push(denied(error));
    }
    return problems;
  }
  for (const name of containers) {
    try {
      if (!(await service.getContainerClient(name).exists()))
        problems.push(
          `container '${name}' (EXPORT_SCAN_CONTAINERS or EXPORT_CONTAINER) does not exist in the export account: check the name; a data export rule creates its container with its first export`,
        );
    } catch (error) {
      if (!isAccessDenied(error)) throw error;
      problems.push(denied(error));
      break;
    }
  }
  return problems;
}
