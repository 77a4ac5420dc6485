import { maintainAlerts, type MaintenanceSummary } from '../../../shared/core/alerts/maintainAlerts';
import { MailSendError } from '../../../shared/core/errors';
import type { DigestInputs } from '../../../shared/core/health/collectDigest';
import type { HealthMailDeps } from '../../../shared/core/health/healthMail';
import { DEFAULT_STALE_MINUTES, type WatchSettings } from '../../../shared/core/health/healthSettings';
import { type DigestSummary, sendHealthDigest } from '../../../shared/core/health/sendHealthDigest';
import { watchExports, type WatchSummary } from '../../../shared/core/health/watchExports';
import type { Logger } from '../../../shared/core/logger';
import type { AlertEmail } from '../../../shared/core/mail/alertEmail';
import type { Mailer, SendOptions, SendReceipt } from '../../../shared/core/mail/mailer';
import { MemoryAlertBook } from '../../helpers/memoryAlertBook';
import { MemoryExportStatus } from '../../helpers/memoryExportStatus';
import { MemoryHealthBook } from '../../helpers/memoryHealthBook';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
/** Tuesday 2024-03-05 13:10 UTC. */
export const T0 = Date.UTC(2024, 2, 5, 13, 10);
export const LEASE_MS = 5 * MIN;

export const WATCH: WatchSettings = { staleMinutes: DEFAULT_STALE_MINUTES, steadyHours: 24, ignore: [] };

/** What the mailer does on one call: deliver, fail for now (429, 5xx), or refuse for good (a 4xx). */
export type MailBehaviour = 'deliver' | 'retryable' | 'permanent';

/** A mailer that answers as SendGrid would on cue, keeping every message it delivered. */
export class ScriptedHealthMailer implements Mailer {
  readonly delivered: AlertEmail[] = [];
  script: MailBehaviour[] = [];

  async send(email: AlertEmail, _options?: SendOptions): Promise<SendReceipt> {
    const behaviour = this.script.shift() ?? 'deliver';
    if (behaviour !== 'deliver')
      throw new MailSendError(`SendGrid answered ${behaviour === 'retryable' ? 503 : 400}`, {
        status: behaviour === 'retryable' ? 503 : 400,
        retryable: behaviour === 'retryable',
        attempts: 1,
      });
    this.delivered.push(email);
    return { provider: 'sendgrid', requests: 1, messageIds: [`m${this.delivered.length}`], acceptedBatches: [0] };
  }

  subjects(): string[] {
    return this.delivered.map((e) => e.subject);
  }
}

export function logCollector(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}

/** The watchdog's and the digest's world: a status table, the alert book, the health book, a mailer, a clock. */
export class HealthWorld {
  clock = T0;
  readonly book = new MemoryAlertBook();
  readonly health = new MemoryHealthBook(this.book);
  readonly status = new MemoryExportStatus();
  readonly mailer = new ScriptedHealthMailer();
  readonly logger = logCollector();
  /** What the digest reads besides the status table; tests set the parts they need. */
  digestInputs: Omit<DigestInputs, 'sources'> = {
    invalidRules: [],
    rejected: { alerts: [], total: 0 },
    configuration: [],
  };
  /** The ledger windows the digest asked for: [after, upTo]. */
  readonly windows: [number, number][] = [];

  mailDeps(): HealthMailDeps {
    return {
      book: this.book,
      mailer: this.mailer,
      now: () => this.clock,
      logger: this.logger,
      pause: async () => {},
      from: 'alerts@example.com',
      recipients: ['ops@example.com'],
      leaseMs: LEASE_MS,
      health: this.health,
    };
  }

  watch(settings: WatchSettings = WATCH): Promise<WatchSummary> {
    return watchExports({ ...this.mailDeps(), sources: this.status, settings });
  }

  digest(digestMinutes = 60): Promise<DigestSummary> {
    return sendHealthDigest({
      ...this.mailDeps(),
      digestMinutes,
      sources: {
        gather: async (after, upTo) => {
          this.windows.push([after, upTo]);
          return { sources: (await this.status.listSources()).sources, ...this.digestInputs };
        },
      },
    });
  }

  /** The alert maintenance step, which re-drives health records as it does alerts. */
  maintain(): Promise<MaintenanceSummary> {
    return maintainAlerts({
      ...this.mailDeps(),
      recordDays: 7,
      ruleFor: async () => undefined,
    });
  }

  /** A source delivering every 5 minutes from a day and a bit before `until` to `until`. */
  async steady(app: string, type: string, source: Parameters<MemoryExportStatus['deliverEvery']>[2], until: number) {
    await this.status.deliverEvery(app, type, source, until - 25 * HOUR, until, 5 * MIN);
  }
}
