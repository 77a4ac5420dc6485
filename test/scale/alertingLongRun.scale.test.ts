import { consecutiveDeliveries, windowedDeliveries } from '../integration/alerts/longRun';

describe('alerting over 1,000 deliveries, on Azurite', () => {
  it('sends 1,000 e-mails for 1,000 consecutive matching deliveries of one rule and group, with no failure', async () => {
    expect(await consecutiveDeliveries(1_000)).toEqual({ kinds: { sent: 1_000 }, sends: 1_000 });
  });

  it('fires exactly 200 times over 1,000 deliveries of one match a minute with Threshold 5 in 10 minutes', async () => {
    expect(await windowedDeliveries(1_000)).toEqual({ fired: 200, failedInvocations: 0 });
  });
});
