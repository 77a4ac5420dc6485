import { Readable } from 'node:stream';

import { type ChannelReceiver, startChannelReceiver } from '../../../scripts/channelReceivers';
import { type FakeSendGrid, sendGridMailerFor, startFakeSendGrid } from '../../../scripts/fakeSendGrid';
import { createChannelSenders } from '../../../shared/adapters/channels/createChannelSenders';
import { readChannelSettings } from '../../../shared/adapters/settings/channelSettings';
import { TableAlertBook } from '../../../shared/adapters/storage/tableAlertBook';
import { TableRuleStore } from '../../../shared/adapters/storage/tableRuleStore';
import { deliveryIdOf } from '../../../shared/core/alerts/deliverAlerts';
import { maintainAlerts } from '../../../shared/core/alerts/maintainAlerts';
import { AlertDeliveryError } from '../../../shared/core/errors';
import { silentLogger } from '../../../shared/core/logger';
import { type BlobSummary, processExportBlob } from '../../../shared/core/processExportBlob';
import { RuleCatalog } from '../../../shared/core/rules/ruleCatalog';
import { testTableClient } from '../../harness/storage';
import { requestBlobName, requestRow } from '../../helpers/exportRows';

const MIN = 60_000;
const SECRET = 'a-webhook-secret-of-32-characters';

let sendGrid: FakeSendGrid;
let receiver: ChannelReceiver;
beforeAll(async () => {
  sendGrid = await startFakeSendGrid();
  receiver = await startChannelReceiver({ secrets: { PAGER: SECRET } });
});
afterAll(async () => {
  await sendGrid.close();
  await receiver.close();
});
beforeEach(() => {
  sendGrid.requests.splice(0);
  receiver.received.splice(0);
  receiver.respondAlwaysWith(undefined);
});

async function world(notify: string, rule: Record<string, unknown> = {}, maxEmailsPerRule = 10) {
  const store = new TableRuleStore(testTableClient('rules'));
  await store.put({
    partitionKey: 'shop-prod',
    rowKey: 'errors',
    Query: 'requests | where toint(resultCode) >= 500',
    Recipients: 'ops@example.com',
    Notify: notify,
    ...rule,
  });
  let clock = Date.UTC(2024, 2, 5, 13, 6);
  const now = () => clock;
  const problems: string[] = [];
  const settings = readChannelSettings(
    {
      TEAMS_WEBHOOK_OPS: receiver.urlFor('teams', 'OPS'),
      SLACK_WEBHOOK_DEV: receiver.urlFor('slack', 'DEV'),
      WEBHOOK_URL_PAGER: receiver.urlFor('webhook', 'PAGER'),
      WEBHOOK_SECRET_PAGER: SECRET,
    },
    problems,
  );
  expect(problems).toEqual([]);
  // The real senders over HTTP; only their waits between tries are instant.
  const channels = createChannelSenders(settings, { sleep: async () => {}, retryBudgetMs: 5_000 });
  const book = new TableAlertBook(testTableClient('state'));
  const catalog = new RuleCatalog(store, { ttlMs: 60_000, now, logger: silentLogger });
  const delivery = {
    book,
    mailer: sendGridMailerFor(sendGrid).mailer,
    now,
    pause: () => Promise.resolve(),
    logger: silentLogger,
    from: 'alerts@example.com',
    leaseMs: 5 * MIN,
    maxEmailsPerRule,
    channels,
  };
  const deps = {
    maxLineBytes: 1 << 20,
    logger: silentLogger,
    now,
    rulesFor: (ref: Parameters<RuleCatalog['rulesFor']>[0]) => catalog.rulesFor(ref),
    delivery,
  };
  const process = (rows = [requestRow({ code: 503 })]) =>
    processExportBlob(
      { name: requestBlobName(), etag: '"0x1"', content: Readable.from([rows.join('\n')]) },
      deps,
    ) as Promise<Extract<BlobSummary, { status: 'processed' }>>;
  const maintain = () =>
    maintainAlerts({ ...delivery, recordDays: 7, ruleFor: async () => undefined, budgetMs: 60_000 });
  return { process, maintain, book, advance: (ms: number) => (clock += ms) };
}

const taken = (kind: string) => receiver.received.filter((r) => r.kind === kind && r.status >= 200 && r.status < 300);

describe('channels through the ledger, on Azurite, to receivers that speak each contract', () => {
  it('sends the e-mail and a valid Teams card, Slack message and signed webhook, once each, however often the blob comes', async () => {
    // Arrange
    const { process } = await world('teams:OPS, slack:DEV, webhook:PAGER');

    // Act
    const first = await process();
    const again = await process();

    // Assert
    expect(first.emails).toMatchObject({ sent: 1, notices: 3, failed: 0, rejected: 0 });
    expect(again.emails).toMatchObject({ sent: 0, notices: 0, alreadySent: 4 });
    expect(sendGrid.requests.filter((r) => r.status === 202)).toHaveLength(1);
    expect(receiver.received.map((r) => [r.kind, r.status, r.problems])).toEqual([
      ['teams', 202, []],
      ['slack', 200, []],
      ['webhook', 200, []],
    ]);
    const hook = taken('webhook')[0]?.json as { state: string; ledgerKey: string };
    expect(hook.state).toBe('FIRING');
    expect(hook.ledgerKey).toMatch(/^d~/);
  });

  it('retries a channel that answered 503 on the next delivery of the blob, and sends nothing else twice', async () => {
    // Arrange
    const { process } = await world('teams:OPS, webhook:PAGER');
    receiver.respondAlwaysWith({ status: 503 });
    const failed = await process().catch((error: unknown) => error);
    receiver.respondAlwaysWith(undefined);

    // Act
    const retried = await process();

    // Assert
    expect(failed).toBeInstanceOf(AlertDeliveryError);
    expect(retried.emails).toMatchObject({ sent: 0, notices: 2, alreadySent: 1 });
    expect(sendGrid.requests.filter((r) => r.status === 202)).toHaveLength(1);
    expect(taken('teams')).toHaveLength(1);
    expect(taken('webhook')).toHaveLength(1);
  });

  it('keeps a refused channel as rejected in the ledger, with an error that names the channel and not its URL', async () => {
    // Arrange
    const { process, maintain, book } = await world('teams:OPS');
    receiver.respondAlwaysWith({ status: 400, body: 'Bad payload' });

    // Act
    const summary = await process();
    const maintenance = await maintain();

    // Assert
    expect(summary.emails).toMatchObject({ sent: 1, notices: 0, rejected: 1 });
    expect(maintenance.open).toBe(0);
    const deliveryId = deliveryIdOf({ blobName: requestBlobName(), version: '"0x1"' });
    const teamsRecord = (await book.listDelivery('shop-prod/errors', deliveryId)).find((r) => r.channel !== undefined);
    expect(teamsRecord?.status).toBe('rejected');
    expect(teamsRecord?.lastError).toContain('teams:OPS');
    expect(teamsRecord?.lastError).not.toContain('sig=');
    expect(teamsRecord?.lastError).not.toContain('/teams/OPS');
  });

  it("sends a valid summary card for the groups past the rule's cap, and Slack and webhook notices", async () => {
    // Arrange: a cap of 2: one group of its own, three in the summary
    const { process } = await world('teams:OPS, slack:DEV, webhook:PAGER', { GroupBy: 'name' }, 2);
    const rows = ['GET /a', 'GET /a', 'GET /b', 'GET /c', 'GET /d'].map((name) => requestRow({ code: 503, name }));

    // Act
    const summary = await process(rows);

    // Assert
    expect(summary.emails).toMatchObject({ sent: 2, notices: 6, summarized: 3, failed: 0, rejected: 0 });
    expect(receiver.received.map((r) => r.problems)).toEqual([[], [], [], [], [], []]);
    const summaryHook = taken('webhook')[1]?.json as { summary: string };
    expect(summaryHook.summary).toContain('3 more groups fired in this delivery');
  });
});
