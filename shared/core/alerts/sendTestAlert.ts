import { channelNotice } from '../channels/channelNotice';
import type { ChannelReceipt, ChannelSender } from '../channels/channelSender';
import { ChannelSendError } from '../channels/channelSendError';
import { noticePayload } from '../channels/noticePayload';
import { describeError } from '../describeError';
import { MailSendError } from '../errors';
import type { Logger } from '../logger';
import type { AlertDigest } from '../mail/alertEmail';
import { composeAlertEmail } from '../mail/composeAlertEmail';
import type { Mailer, SendReceipt } from '../mail/mailer';
import type { ChannelRef } from '../rules/ruleNotifications';

/** Where a test goes: the rule's recipients, or one channel of its Notify. */
export type TestTarget = { readonly kind: 'email' } | ChannelRef;

/** What one target did with the test. `channel` is `email` or the channel as Notify writes it (`teams:OPS`). */
export type TestSendResult =
  | { readonly channel: string; readonly outcome: 'sent'; readonly recipients: number; readonly receipt: SendReceipt }
  | { readonly channel: string; readonly outcome: 'delivered'; readonly receipt: ChannelReceipt }
  | {
      readonly channel: string;
      readonly outcome: 'failed';
      /** The mailer's or sender's message: a channel's names its target by scheme and host only. */
      readonly error: string;
      readonly status?: number;
      readonly retryable: boolean;
    }
  /** Notify names it, but no setting configures it. */
  | { readonly channel: string; readonly outcome: 'not-configured'; readonly ref: ChannelRef };

/** What a test is sent through. */
export interface TestAlertPorts {
  readonly mailer: Mailer;
  /** The sender of a configured channel; undefined when its setting is missing. */
  readonly senderOf: (ref: ChannelRef) => ChannelSender | undefined;
  /** ALERT_EMAIL_FROM. */
  readonly from: string;
  readonly logger?: Logger;
}

/**
 * Sends a test digest (`testAlertDigest`) to each target at once: the e-mail to the rule's recipients,
 * a test notice to each channel. Nothing goes through the ledger: a test is no alert, is never
 * deduplicated or retried later, and one target failing keeps no other from getting it.
 *
 * @returns one result per target, in the order given
 */
export async function sendTestAlert(
  digest: AlertDigest,
  targets: readonly TestTarget[],
  ports: TestAlertPorts,
): Promise<TestSendResult[]> {
  const notice = channelNotice(digest, 'FIRING', { test: true });
  const options = ports.logger === undefined ? {} : { logger: ports.logger };
  return Promise.all(
    targets.map(async (target): Promise<TestSendResult> => {
      if (target.kind === 'email') {
        const email = composeAlertEmail({ ...digest, test: true }, ports.from);
        try {
          const receipt = await ports.mailer.send(email, options);
          return { channel: 'email', outcome: 'sent', recipients: email.to.length, receipt };
        } catch (error) {
          return failed('email', error);
        }
      }
      const channel = `${target.kind}:${target.name}`;
      const sender = ports.senderOf(target);
      if (sender === undefined) return { channel, outcome: 'not-configured', ref: target };
      try {
        const receipt = await sender.send(noticePayload(target.kind, notice), options);
        return { channel, outcome: 'delivered', receipt };
      } catch (error) {
        return failed(channel, error);
      }
    }),
  );
}

function failed(channel: string, error: unknown): TestSendResult {
  if (error instanceof ChannelSendError || error instanceof MailSendError) {
    return {
      channel,
      outcome: 'failed',
      error: error.message,
      ...(error.status === undefined ? {} : { status: error.status }),
      retryable: error.retryable,
    };
  }
  return { channel, outcome: 'failed', error: describeError(error), retryable: false };
}
