import { plural } from '../plural';
import type { AlertEmail } from './alertEmail';
import { headerText } from './displayValue';
import type { Mailer, SendOptions, SendReceipt } from './mailer';
import type { RecipientBudget } from './recipientBudget';
import { hourStartOf, recipientId, recipientOf } from './recipientHour';

export interface BudgetedMailerOptions {
  readonly budget: RecipientBudget;
  /** ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR. */
  readonly limit: number;
  /** The wrapped mailer's provider, for the receipt of an e-mail the budget held back from everyone. */
  readonly provider: SendReceipt['provider'];
}

/**
 * A mailer that keeps each recipient within ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR alerts an hour
 * (NOTE: Azure Monitor stops at 100 e-mails an hour per address, and a flood would bury the alert that
 * matters): past it, the recipient's alerts of that hour are folded into one digest sent when the hour
 * is over (`sendBudgetDigests`), and the e-mail goes to the other recipients only.
 *
 * Only e-mails carrying `budget` are weighed, and not the app's own (ledger keys starting with `#`,
 * which no rule's scope can: health e-mails and the digests themselves). The decision is the budget's,
 * idempotent per alert and taken in the hour the record was written, so every attempt of one record
 * sends to the same recipients and its recipient batches never shift. An e-mail held back from every
 * recipient is a send of 0 requests: its record is `sent`, and the digests now own the alert.
 */
export class BudgetedMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly options: BudgetedMailerOptions,
  ) {}

  async send(email: AlertEmail, options: SendOptions = {}): Promise<SendReceipt> {
    const alert = options.budget;
    if (alert === undefined || alert.key.startsWith('#')) return this.inner.send(email, options);
    const recipients = [...new Set(email.to.map(recipientOf))];
    const hourStart = hourStartOf(alert.at);
    const admissions = await this.options.budget.admit({
      recipients,
      key: alert.key,
      hourStart,
      line: {
        subject: headerText(email.subject, 200),
        rule: headerText(email.customArgs['rule'] ?? ruleOfKey(alert.key), 400),
        at: alert.at,
      },
      limit: this.options.limit,
    });
    const held = new Set(recipients.filter((r) => admissions.get(r) === 'folded'));
    const late = recipients.filter((r) => admissions.get(r) === 'late').length;
    const hour = `the hour from ${new Date(hourStart).toISOString().slice(0, 13)}:00 UTC`;
    // NOTE: addresses stay out of logs; the id is the one the budget's storage keys carry.
    for (const recipient of held) {
      options.logger?.warn(
        `alert ${alert.key}: not e-mailed to recipient ${recipientId(recipient)}, past ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR=${this.options.limit} in ${hour}; listed in their digest when the hour is over`,
      );
    }
    if (late > 0) {
      options.logger?.info(
        `alert ${alert.key}: e-mailed to ${plural(late, 'recipient')} past the budget of ${hour}, whose digest was already made`,
      );
    }
    if (held.size === 0) return this.inner.send(email, options);
    const to = email.to.filter((address) => !held.has(recipientOf(address)));
    if (to.length === 0)
      return { provider: this.options.provider, requests: 0, messageIds: [], acceptedBatches: [], heldBack: held.size };
    const receipt = await this.inner.send({ ...email, to }, options);
    return { ...receipt, heldBack: held.size };
  }
}

/** `scope/id` of an alert key `scope/id/recordKey`, for an e-mail that does not name its rule. */
function ruleOfKey(key: string): string {
  const cut = key.lastIndexOf('/');
  return cut > 0 ? key.slice(0, cut) : key;
}
