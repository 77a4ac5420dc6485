import type { ChannelSender } from '../channels/channelSender';
import { ChannelSendError } from '../channels/channelSendError';
import { channelSettingNames } from '../channels/channelSettingNames';
import { describeError } from '../describeError';
import { InvariantError, MailSendError } from '../errors';
import type { Logger } from '../logger';
import type { Mailer } from '../mail/mailer';
import type { AlertBook, DeliveryReceipt } from './alertBook';
import type { AlertRecord, ChannelDelivery } from './alertRecord';

export interface SendDeps {
  readonly book: AlertBook;
  readonly mailer: Mailer;
  readonly now: () => number;
  readonly logger: Logger;
  /** Waits between tries; the composition passes a real timer, tests an instant one. */
  readonly pause: (ms: number) => Promise<void>;
  /** Senders of the configured Teams, Slack and webhook channels, by `teams:OPS`; none when absent. */
  readonly channels?: ReadonlyMap<string, ChannelSender>;
}

export type SendOutcome =
  | { readonly kind: 'sent'; readonly location?: string }
  | { readonly kind: 'failed'; readonly error: string }
  | { readonly kind: 'rejected'; readonly error: string };

/** Tries of recording a send's outcome; the send itself is never repeated for it. */
export const MARK_TRIES = 5;

/**
 * Sends the e-mail (or channel notice) of a record this invocation has claimed, then records the outcome. Batches of
 * recipients SendGrid accepted on an earlier try are skipped. A permanent refusal (a 4xx other than
 * 429) is recorded as `rejected` and never retried; anything else is `failed`, for a later try.
 *
 * Recording the outcome is retried on its own: once the provider accepted the message (or some of its
 * batches), a storage blip must not turn into a second e-mail. If it keeps failing, the record stays
 * claimed and what was accepted can go out again once its lease has passed: the one duplicate window
 * (as when the process dies between the provider's 202 and the write).
 */
export async function sendAlertRecord(record: AlertRecord, deps: SendDeps): Promise<SendOutcome> {
  const name = `alert ${record.ruleKey} (${record.recordKey}) for ${record.blobName}`;
  const attempt = record.channel !== undefined ? await sendNotice(record.channel, deps) : await sendEmail(record, deps);
  if (attempt.kind === 'failed') {
    const { message, permanent, accepted } = attempt;
    // Logged before it is recorded, so a storage failure below cannot hide the provider's answer.
    deps.logger.error(
      `${name}: send ${permanent ? 'refused, not retried' : 'failed'} (attempt ${record.attempts}): ${message}`,
    );
    // Retried like the success: the accepted batches it carries are what keeps a retry from mailing
    // them again. Still failing, it is thrown: the record stays claimed and is re-driven after its lease.
    const unrecorded = await withRetries(deps, () =>
      deps.book.markFailed(record, deps.now(), { error: message, permanent, acceptedBatches: accepted }),
    );
    if (unrecorded !== undefined) {
      deps.logger.error(
        `${name}: recording the failed send failed ${MARK_TRIES} times (${describeError(unrecorded)}); batches accepted so far may be sent again once its lease has passed`,
      );
      throw unrecorded;
    }
    return permanent ? { kind: 'rejected', error: message } : { kind: 'failed', error: message };
  }
  const { receipt } = attempt;
  const unrecorded = await withRetries(deps, () => deps.book.markSent(record, deps.now(), receipt));
  if (unrecorded !== undefined) {
    deps.logger.error(
      `${name}: sent, but recording that failed ${MARK_TRIES} times (${describeError(unrecorded)}); it may be sent again once its lease has passed`,
    );
  }
  return receipt.location === undefined ? { kind: 'sent' } : { kind: 'sent', location: receipt.location };
}

type Attempt =
  | { readonly kind: 'sent'; readonly receipt: DeliveryReceipt }
  | { readonly kind: 'failed'; readonly message: string; readonly permanent: boolean; readonly accepted: number[] };

async function sendEmail(record: AlertRecord, deps: SendDeps): Promise<Attempt> {
  if (record.email === undefined)
    return {
      kind: 'failed',
      message: 'its record holds no e-mail',
      permanent: true,
      accepted: [...record.acceptedBatches],
    };
  try {
    const receipt = await deps.mailer.send(record.email, {
      skipBatches: new Set(record.acceptedBatches),
      logger: deps.logger,
      budget: { key: `${record.ruleKey}/${record.recordKey}`, at: record.recordedAt },
    });
    return { kind: 'sent', receipt };
  } catch (error) {
    // Only the mailer's own verdict makes a failure permanent: anything else it threw (a bug, a
    // storage blip in a wrapper) is tried again rather than dropping the alert for good.
    const permanent = error instanceof MailSendError && !error.retryable;
    const accepted = union(record.acceptedBatches, error instanceof MailSendError ? error.acceptedBatches : []);
    return { kind: 'failed', message: describeError(error), permanent, accepted };
  }
}

/**
 * A notice to a Teams, Slack or webhook channel (its own record, issue 15 §4). A channel the settings
 * do not name is refused for good: the health digest reports it, and the alert's e-mail and other
 * channels are records of their own, unaffected.
 */
async function sendNotice(channel: ChannelDelivery, deps: SendDeps): Promise<Attempt> {
  const sender = deps.channels?.get(channel.name);
  if (sender === undefined) {
    const name = channel.name.slice(channel.name.indexOf(':') + 1);
    const settings = channelSettingNames({ kind: channel.payload.kind, name }).join(' and ');
    const message = `${channel.name} is not configured: set ${settings} (docs/CHANNELS.md)`;
    return { kind: 'failed', message, permanent: true, accepted: [] };
  }
  try {
    const receipt = await sender.send(channel.payload, { logger: deps.logger });
    return {
      kind: 'sent',
      receipt: {
        provider: receipt.kind,
        requests: receipt.attempts,
        messageIds: [],
        location: `${receipt.target} (HTTP ${receipt.status})`,
        acceptedBatches: [],
      },
    };
  } catch (error) {
    // As for mail: only the sender's own verdict makes a failure permanent.
    const permanent = error instanceof ChannelSendError && !error.retryable;
    return { kind: 'failed', message: describeError(error), permanent, accepted: [] };
  }
}

/** Runs `write` up to MARK_TRIES times with doubling pauses; the last error when every try failed. */
async function withRetries(deps: SendDeps, write: () => Promise<void>): Promise<Error | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return undefined;
    } catch (error) {
      if (attempt >= MARK_TRIES) {
        return error instanceof Error
          ? error
          : new InvariantError(`a write threw a non-error: ${describeError(error)}`, { cause: error });
      }
      await deps.pause(200 * 2 ** (attempt - 1));
    }
  }
}

function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
