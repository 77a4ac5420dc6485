import { MAX_RECIPIENTS_PER_REQUEST } from '../../../shared/adapters/mail/sendGridMailer';
import type { AlertBook } from '../../../shared/core/alerts/alertBook';
import {
  type AlertResult,
  deliverAlerts,
  type Delivery,
  type DeliveryDeps,
} from '../../../shared/core/alerts/deliverAlerts';
import { maintainAlerts, type MaintenanceSummary } from '../../../shared/core/alerts/maintainAlerts';
import { MatchCollector } from '../../../shared/core/alerts/matchCollector';
import type { ColumnValue, TelemetryRecord } from '../../../shared/core/export/telemetryRecord';
import type { Logger } from '../../../shared/core/logger';
import type { AlertEmail } from '../../../shared/core/mail/alertEmail';
import type { Mailer, SendOptions, SendReceipt } from '../../../shared/core/mail/mailer';
import { MailSendError } from '../../../shared/core/mail/mailSendError';
import { type AlertRule, compileRule, type RuleEntity } from '../../../shared/core/rules/alertRule';

export const MIN = 60_000;
export const T0 = Date.UTC(2024, 2, 5, 13, 10);
export const LEASE_MS = 5 * MIN;

/** A promise that never settles: what a process that died at this point goes on to do. */
export function hang(reached?: () => void): Promise<never> {
  reached?.();
  return new Promise<never>(() => {});
}

/** What the mailer does on one call of `send`. */
export type SendBehaviour =
  | 'deliver'
  /** Dies before SendGrid answered: nothing delivered. */
  | 'dieBefore'
  /** Dies after SendGrid's 202: delivered, never acknowledged. */
  | 'dieAfter'
  /** SendGrid accepts the first batch, then the process dies. */
  | 'dieBetweenBatches'
  | { readonly fail: 'retryable' | 'permanent'; readonly afterBatches?: number };

/**
 * A mailer that behaves like the SendGrid one (batches of 1,000, skipBatches honoured, MailSendError
 * with acceptedBatches), counting what each recipient really received, and that can die or fail on cue.
 */
export class ScriptedMailer implements Mailer {
  /** Messages received, per recipient. */
  readonly received = new Map<string, AlertEmail[]>();
  readonly sends: AlertEmail[] = [];
  script: SendBehaviour[] = [];
  onDeath: () => void = () => {};

  async send(email: AlertEmail, options: SendOptions = {}): Promise<SendReceipt> {
    const behaviour = this.script.shift() ?? 'deliver';
    if (behaviour === 'dieBefore') return hang(this.onDeath);
    const accepted: number[] = [];
    for (let start = 0, batch = 0; start < email.to.length; start += MAX_RECIPIENTS_PER_REQUEST, batch++) {
      if (options.skipBatches?.has(batch)) continue;
      if (typeof behaviour === 'object' && accepted.length >= (behaviour.afterBatches ?? 0)) {
        throw new MailSendError(`SendGrid said no (${behaviour.fail})`, {
          retryable: behaviour.fail === 'retryable',
          attempts: 1,
          acceptedBatches: accepted,
          ...(behaviour.fail === 'permanent'
            ? { status: 400, details: ['The from address does not match a verified Sender Identity'] }
            : { status: 503 }),
        });
      }
      if (behaviour === 'dieBetweenBatches' && accepted.length === 1) return hang(this.onDeath);
      for (const address of email.to.slice(start, start + MAX_RECIPIENTS_PER_REQUEST)) {
        const list = this.received.get(address) ?? [];
        list.push(email);
        this.received.set(address, list);
      }
      accepted.push(batch);
    }
    this.sends.push(email);
    if (behaviour === 'dieAfter') return hang(this.onDeath);
    return {
      provider: 'sendgrid',
      requests: accepted.length,
      messageIds: accepted.map((b) => `msg-${b}`),
      acceptedBatches: accepted,
    };
  }

  /** Copies of the message each recipient got: the most and the fewest over all of them. */
  copies(recipients: readonly string[]): { min: number; max: number } {
    const counts = recipients.map((r) => this.received.get(r)?.length ?? 0);
    return { min: Math.min(...counts), max: Math.max(...counts) };
  }
}

export const silent: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export function logCollector(): Logger & { readonly errors: string[] } {
  const errors: string[] = [];
  return { info: () => {}, warn: () => {}, error: (m) => errors.push(m), errors };
}

export function ruleOf(entity: Partial<RuleEntity> = {}): AlertRule {
  const compiled = compileRule({
    partitionKey: 'shop-prod',
    rowKey: 'errors',
    Query: 'requests | where toint(resultCode) >= 500',
    Recipients: 'ops@example.com',
    ThrottleMinutes: 0,
    ...entity,
  });
  if (!compiled.ok) throw new Error(compiled.error.map((p) => p.message).join('; '));
  return compiled.value;
}

export function request(columns: Record<string, ColumnValue> = {}): TelemetryRecord {
  return {
    table: 'requests',
    columns: { resultCode: '500', timestamp: new Date(T0 - 2 * MIN), itemCount: 1, ...columns },
    raw: {},
  };
}

export function delivery(n: number | string, depositedAt = T0): Delivery {
  const name = `shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/${String(n).padStart(6, '0')}-6f0b3c-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee_20240305_131000.blob`;
  return {
    appName: 'shop-prod',
    folder: 'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    blobName: name,
    version: `"0x8DC3D1F2A${String(n).padStart(6, '0')}"`,
    depositedAt,
  };
}

/** The buckets one delivery of these records gives the rules. */
export function bucketsOf(rules: readonly AlertRule[], records: readonly TelemetryRecord[], depositedAt = T0) {
  const collector = new MatchCollector(rules, depositedAt, depositedAt);
  for (const record of records) collector.add(record);
  return collector.all();
}

export interface World {
  readonly book: AlertBook;
  readonly mailer: ScriptedMailer;
  clock: number;
  deps(overrides?: Partial<DeliveryDeps>): DeliveryDeps;
  deliver(
    rules: readonly AlertRule[],
    records: readonly TelemetryRecord[],
    d: Delivery,
    overrides?: Partial<DeliveryDeps>,
  ): Promise<AlertResult[]>;
  maintain(rules?: readonly AlertRule[], logger?: Logger): Promise<MaintenanceSummary>;
}

export function world(book: AlertBook, maxEmailsPerRule = 10): World {
  const mailer = new ScriptedMailer();
  const w: World = {
    book,
    mailer,
    clock: T0,
    deps: (overrides = {}) => ({
      book,
      mailer,
      now: () => w.clock,
      logger: silent,
      from: 'alerts@example.com',
      leaseMs: LEASE_MS,
      maxEmailsPerRule,
      pause: async () => {},
      ...overrides,
    }),
    deliver: (rules, records, d, overrides) =>
      deliverAlerts(bucketsOf(rules, records, d.depositedAt), d, w.deps(overrides)),
    maintain: (rules = [], logger = silent) =>
      maintainAlerts({
        ...w.deps({ logger }),
        recordDays: 7,
        ruleFor: async (key) => rules.find((r) => `${r.scope}/${r.id}` === key),
      }),
  };
  return w;
}

/** Whether a delivery's results make the invocation fail (so the host tries it again). */
export function invocationFails(results: readonly AlertResult[]): boolean {
  return results.some((r) => r.kind === 'failed' || r.kind === 'inFlight');
}
