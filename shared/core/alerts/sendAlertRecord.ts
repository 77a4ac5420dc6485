import { describeError } from '../describeError';
import { MailSendError } from '../errors';
import type { Logger } from '../logger';
import type { Mailer } from '../mail/mailer';
import type { AlertBook } from './alertBook';
import type { AlertRecord } from './alertRecord';

export interface SendDeps {
  readonly book: AlertBook;
  readonly mailer: Mailer;
  readonly now: () => number;
  readonly logger: Logger;
  /** Waits between tries; the composition passes a real timer, tests an instant one. */
  readonly pause: (ms: number) => Promise<void>;
}

export type SendOutcome =
  | { readonly kind: 'sent'; readonly location?: string }
  | { readonly kind: 'failed'; readonly error: string }
  | { readonly kind: 'rejected'; readonly error: string };

/** Tries of recording that an e-mail went out; the send itself is never repeated for it. */
export const MARK_SENT_TRIES = 5;

/**
 * Sends the e-mail of a record this invocation has claimed, then records the outcome. Batches of
 * recipients SendGrid accepted on an earlier try are skipped. A permanent refusal (a 4xx other than
 * 429) is recorded as `rejected` and never retried; anything else is `failed`, for a later try.
 *
 * Recording the success is retried on its own: once the provider accepted the message, a storage blip
 * must not turn into a second e-mail. If it keeps failing, the record stays claimed and the alert can
 * go out again once its lease has passed: the one duplicate window (as when the process dies between
 * the provider's 202 and the write).
 */
export async function sendAlertRecord(record: AlertRecord, deps: SendDeps): Promise<SendOutcome> {
  const name = `alert ${record.ruleKey} (${record.recordKey}) for ${record.blobName}`;
  if (record.email === undefined) {
    const error = 'its record holds no e-mail';
    await deps.book.markFailed(record, deps.now(), { error, permanent: true, acceptedBatches: record.acceptedBatches });
    deps.logger.error(`${name}: ${error}; not sent`);
    return { kind: 'rejected', error };
  }
  let receipt;
  try {
    receipt = await deps.mailer.send(record.email, {
      skipBatches: new Set(record.acceptedBatches),
      logger: deps.logger,
    });
  } catch (error) {
    const message = describeError(error);
    // Only the mailer's own verdict makes a failure permanent: anything else it threw (a bug, a
    // storage blip in a wrapper) is tried again rather than dropping the alert for good.
    const permanent = error instanceof MailSendError && !error.retryable;
    const accepted = union(record.acceptedBatches, error instanceof MailSendError ? error.acceptedBatches : []);
    await deps.book.markFailed(record, deps.now(), { error: message, permanent, acceptedBatches: accepted });
    deps.logger.error(
      `${name}: send ${permanent ? 'refused, not retried' : 'failed'} (attempt ${record.attempts}): ${message}`,
    );
    return permanent ? { kind: 'rejected', error: message } : { kind: 'failed', error: message };
  }
  const { pause } = deps;
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.book.markSent(record, deps.now(), receipt);
      break;
    } catch (error) {
      const message = describeError(error);
      if (attempt >= MARK_SENT_TRIES) {
        deps.logger.error(
          `${name}: sent, but recording that failed ${attempt} times (${message}); it may be sent again once its lease has passed`,
        );
        break;
      }
      await pause(200 * 2 ** (attempt - 1));
    }
  }
  return receipt.location === undefined ? { kind: 'sent' } : { kind: 'sent', location: receipt.location };
}

function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
