import type { ExportBlobRef } from '../export/parseExportPath';
import { tableForType, type TableName } from '../export/telemetryTypes';
import { type Logger, silentLogger } from '../logger';
import { type AlertRule, compileRule, formatRuleProblems, type RuleEntity, type RuleProblem } from './alertRule';
import { type RuleStore, storedLastError } from './ruleStore';

export interface InvalidRule {
  readonly scope: string;
  readonly id: string;
  readonly problems: readonly RuleProblem[];
}

export interface LoadedRules {
  readonly valid: readonly AlertRule[];
  readonly invalid: readonly InvalidRule[];
  /** Epoch ms of the load. */
  readonly loadedAt: number;
}

export interface RuleCatalogOptions {
  /** How long loaded rules serve before the table is read again. */
  readonly ttlMs: number;
  readonly now: () => number;
  /** Where a load logs when its caller passes no logger of its own. */
  readonly logger?: Logger;
}

/**
 * The rules of the table, compiled and cached per process. The table is read at most once per TTL,
 * so edits take effect within it without a restart; a rule is compiled again only when its etag
 * changed. An invalid rule is skipped, logged once per load and its problems written to LastError.
 */
export class RuleCatalog {
  private current: LoadedRules | undefined;
  private loading: Promise<LoadedRules> | undefined;
  private compiled = new Map<string, { etag: string | undefined; result: ReturnType<typeof compileRule> }>();

  constructor(
    private readonly store: RuleStore,
    private readonly options: RuleCatalogOptions,
  ) {}

  /**
   * The enabled, valid rules that watch this blob's app and telemetry type.
   * @param logger - the calling invocation's: a load it starts logs there, since the catalog is shared
   */
  async rulesFor(blob: ExportBlobRef, logger?: Logger): Promise<AlertRule[]> {
    const loaded = await this.load(logger);
    return selectRules(loaded.valid, blob);
  }

  /**
   * The enabled, valid rules of a table, whatever their scope: for the successor exports, whose records
   * are matched to a scope one by one (`scopeCoversResource`).
   */
  async rulesForTable(table: TableName, logger?: Logger): Promise<AlertRule[]> {
    const loaded = await this.load(logger);
    return loaded.valid.filter((rule) => rule.enabled && rule.table === table);
  }

  async load(logger: Logger = this.options.logger ?? silentLogger): Promise<LoadedRules> {
    const now = this.options.now();
    if (this.current && now - this.current.loadedAt < this.options.ttlMs) return this.current;
    // Concurrent invocations share one read of the table; its lines go to the invocation that started it.
    this.loading ??= this.read(now, logger).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async read(now: number, logger: Logger): Promise<LoadedRules> {
    const entities = await this.store.list();
    const valid: AlertRule[] = [];
    const invalid: InvalidRule[] = [];
    const seen = new Map<string, { etag: string | undefined; result: ReturnType<typeof compileRule> }>();
    for (const entity of entities) {
      const key = `${entity.partitionKey}\u0000${entity.rowKey}`;
      const cached = this.compiled.get(key);
      const result =
        cached && cached.etag !== undefined && cached.etag === entity.etag ? cached.result : compileRule(entity);
      seen.set(key, { etag: entity.etag, result });
      if (result.ok) {
        valid.push(result.value);
      } else {
        invalid.push({ scope: entity.partitionKey, id: entity.rowKey, problems: result.error });
        logger.warn(`skipped invalid ${formatRuleProblems(entity.partitionKey, entity.rowKey, result.error)}`);
      }
      await this.recordStatus(
        entity,
        result.ok ? '' : formatRuleProblems(entity.partitionKey, entity.rowKey, result.error),
        logger,
      );
    }
    this.compiled = seen;
    this.current = { valid, invalid, loadedAt: now };
    return this.current;
  }

  private async recordStatus(entity: RuleEntity, lastError: string, logger: Logger): Promise<void> {
    const previous = typeof entity.LastError === 'string' ? entity.LastError : '';
    // NOTE: the store cuts what it writes; compare with that, or a long error is rewritten on every load.
    if (previous === storedLastError(lastError)) return;
    try {
      await this.store.setLastError(entity.partitionKey, entity.rowKey, lastError);
    } catch (error) {
      // The status is a courtesy to the user; failing to write it must not stop alerting.
      logger.warn(`could not record LastError of rule ${entity.partitionKey}/${entity.rowKey}: ${String(error)}`);
    }
  }
}

/** Rules whose scope is the blob's export folder, its app name or `*`, and whose table is the blob's. */
export function selectRules(rules: readonly AlertRule[], blob: ExportBlobRef): AlertRule[] {
  const table = tableForType(blob.telemetryType);
  const folder = blob.folder.toLowerCase();
  const app = blob.appName.toLowerCase();
  return rules.filter((rule) => {
    if (!rule.enabled || rule.table !== table) return false;
    const scope = rule.scope.toLowerCase();
    return scope === '*' || scope === folder || scope === app;
  });
}
