import type { Logger } from '../core/logger';

/**
 * How an HTTP adapter that retries (SendGrid, the channel senders) spends one `send`: its deadlines,
 * backoff and clock. Tests make the waits instant and the clock their own.
 */
export interface RetryTuning {
  /** Deadline of one HTTP attempt, ms. */
  readonly requestTimeoutMs?: number;
  /** Time one `send` may spend on attempts and waits, ms. */
  readonly retryBudgetMs?: number;
  /** First backoff ceiling, doubled per attempt up to `backoffMaxMs` (defaults 1 s and 10 s). */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  readonly logger?: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1), for the backoff's full jitter. */
  readonly random?: () => number;
  /** Epoch ms. */
  readonly now?: () => number;
}
