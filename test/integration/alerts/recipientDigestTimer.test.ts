import { InvocationContext, type Timer } from '@azure/functions';

import { alertMaintenanceHandler, type MaintenanceRun } from '../../../functions/alertMaintenance';
import { loadConfig } from '../../../shared/adapters/settings/config';
import { blobServices, type ServiceOverrides } from '../../../shared/composition/appServices';
import type { AlertRecord } from '../../../shared/core/alerts/alertRecord';
import { sendStored } from '../../../shared/core/alerts/deliverAlerts';
import { silentLogger } from '../../../shared/core/logger';
import type { AlertEmail } from '../../../shared/core/mail/alertEmail';
import type { Mailer, SendReceipt } from '../../../shared/core/mail/mailer';
import { testConnectionString, uniqueName } from '../../harness/storage';

// The per-recipient budget as the app wires it (issue 15 §4): the composition's mailer counts every
// alert e-mail on Azurite, and the alertMaintenance timer's handler sends the digest of the hour.

const MIN = 60_000;
const T0 = Date.UTC(2024, 2, 5, 13, 10);
const TIMER: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

class KeepingMailer implements Mailer {
  readonly delivered: AlertEmail[] = [];

  async send(email: AlertEmail): Promise<SendReceipt> {
    this.delivered.push(email);
    return { provider: 'sendgrid', requests: 1, messageIds: [`m${this.delivered.length}`], acceptedBatches: [0] };
  }
}

function record(n: number): AlertRecord {
  return {
    ruleKey: 'shop-prod/errors',
    recordKey: `d~${n}`,
    groupKey: '',
    blobName: `shop-prod_1/Requests/2024-03-05/13/${n}.blob`,
    deliveryId: `dlv${n}`,
    status: 'sending',
    recordedAt: T0 + n * MIN,
    leaseUntil: T0 + (n + 5) * MIN,
    attempts: 1,
    acceptedBatches: [],
    email: {
      from: 'alerts@example.com',
      to: ['ops@example.com'],
      subject: `[Sev1] errors: alert ${n}`,
      text: 't',
      html: '<p>h</p>',
      customArgs: { rule: 'shop-prod/errors' },
      headers: {},
    },
  };
}

describe('the per-recipient budget, as wired', () => {
  const name = uniqueName('').replace(/[^a-z0-9]/g, '');
  const env = {
    AzureWebJobsStorage: testConnectionString(),
    ALERT_STATE_TABLE: `budget${name}`,
    ALERT_RULES_TABLE: `rules${name}`,
    EXPORT_STATUS_TABLE: `status${name}`,
    MAIL_TRANSPORT: 'outbox',
    ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR: '2',
  };
  const config = loadConfig(env);
  const mailer = new KeepingMailer();
  let clock = T0;
  const overrides: ServiceOverrides = { mailer, now: () => clock };

  async function tick(): Promise<MaintenanceRun | undefined> {
    const context = new InvocationContext({ functionName: 'alertMaintenance', logHandler: () => {} });
    return alertMaintenanceHandler(overrides, config)(TIMER, context);
  }

  it('e-mails the first 2 alerts of the hour, folds the third, and sends one digest when the hour is over', async () => {
    // Arrange: three alerts to ops in the hour of 13:00, through the composition's mailer
    const delivery = blobServices(config, silentLogger, overrides).delivery;
    if (!delivery) throw new Error('no delivery services: AzureWebJobsStorage is not set');
    const results = [];
    for (const n of [1, 2, 3]) results.push(await sendStored(await delivery.book.insert(record(n)), delivery));

    // Act: a tick during the hour, two after it
    clock = T0 + 10 * MIN;
    const during = await tick();
    clock = T0 + 55 * MIN;
    const after = await tick();
    clock += 5 * MIN;
    const again = await tick();

    // Assert
    expect(results.map((r) => r.kind)).toEqual(['sent', 'sent', 'sent']);
    expect(during?.recipientDigests).toMatchObject({ due: 0 });
    expect(after?.recipientDigests).toMatchObject({ due: 1, sent: 1 });
    expect(again?.recipientDigests).toMatchObject({ due: 0 });
    expect(mailer.delivered.map((e) => e.subject)).toEqual([
      '[Sev1] errors: alert 1',
      '[Sev1] errors: alert 2',
      '[digest] 1 alert held back for you, 2024-03-05 13:00–14:00 UTC',
    ]);
    expect(mailer.delivered[2]?.text).toContain('[Sev1] errors: alert 3');
  }, 60_000);
});
