import type { AlertEmail } from './alertEmail';

/** What a send did: the provider, the API requests it took, the ids the provider gave the message. */
export interface SendReceipt {
  readonly provider: 'sendgrid' | 'outbox';
  readonly requests: number;
  readonly messageIds: string[];
  /** Where the outbox wrote the message. */
  readonly location?: string;
}

/**
 * Delivers composed alert e-mails.
 *
 * @throws MailSendError when the message could not be handed over; `retryable` says whether trying
 * again later may help.
 */
export interface Mailer {
  send(email: AlertEmail): Promise<SendReceipt>;
}
