import type { AlertRecord } from '../../../shared/core/alerts/alertRecord';
import { maintainAlerts } from '../../../shared/core/alerts/maintainAlerts';
import { resolveEpisodes } from '../../../shared/core/alerts/resolveEpisodes';
import type { ChannelPayload } from '../../../shared/core/channels/channelPayload';
import type { ChannelReceipt, ChannelSender } from '../../../shared/core/channels/channelSender';
import { ChannelSendError } from '../../../shared/core/channels/channelSendError';
import { MemoryAlertBook } from '../../helpers/memoryAlertBook';
import { delivery, hang, invocationFails, LEASE_MS, MIN, request, ruleOf, silent, world } from './alertWorld';

type Behaviour = 'deliver' | 'retryable' | 'permanent' | 'die';

/** A channel that records each payload it took and fails or dies on cue, as the HTTP senders do. */
class ScriptedChannel implements ChannelSender {
  readonly taken: ChannelPayload[] = [];
  script: Behaviour[] = [];
  onDeath: () => void = () => {};

  constructor(
    readonly kind: ChannelPayload['kind'],
    readonly name: string,
  ) {}

  async send(payload: ChannelPayload): Promise<ChannelReceipt> {
    const behaviour = this.script.shift() ?? 'deliver';
    if (behaviour === 'die') return hang(this.onDeath);
    if (behaviour !== 'deliver') {
      throw new ChannelSendError(`${this.kind}:${this.name} answered ${behaviour === 'retryable' ? 503 : 400}`, {
        kind: this.kind,
        name: this.name,
        status: behaviour === 'retryable' ? 503 : 400,
        retryable: behaviour === 'retryable',
        attempts: 1,
      });
    }
    this.taken.push(payload);
    return { kind: this.kind, name: this.name, target: 'https://example.test', status: 202, attempts: 1 };
  }
}

function setup(notify = 'teams:OPS, webhook:PAGER') {
  const book = new MemoryAlertBook();
  const w = world(book);
  const teams = new ScriptedChannel('teams', 'OPS');
  const webhook = new ScriptedChannel('webhook', 'PAGER');
  const channels = new Map<string, ChannelSender>([
    ['teams:OPS', teams],
    ['webhook:PAGER', webhook],
  ]);
  const rule = ruleOf({ Notify: notify });
  const maintain = () =>
    maintainAlerts({ ...w.deps({ channels }), recordDays: 7, ruleFor: async () => rule, logger: silent });
  return { book, w, teams, webhook, channels, rule, maintain };
}

function records(book: MemoryAlertBook): AlertRecord[] {
  return [...book.records.values()].sort((a, b) => (a.recordKey < b.recordKey ? -1 : 1));
}

describe('an alert to Teams and a webhook besides e-mail (issue 15 §4)', () => {
  it('writes one record per channel with the e-mail record, and sends the e-mail and each channel once', async () => {
    // Arrange
    const { book, w, teams, webhook, channels, rule } = setup();

    // Act
    const results = await w.deliver([rule], [request()], delivery(1), { channels });

    // Assert
    expect(results.map((r) => r.kind)).toEqual(['sent', 'sent', 'sent']);
    expect(w.mailer.sends).toHaveLength(1);
    expect(teams.taken).toHaveLength(1);
    expect(webhook.taken).toHaveLength(1);
    const teamsCard = JSON.parse(teams.taken[0]?.body ?? '{}') as { type: string };
    expect(teamsCard.type).toBe('message');
    const stored = records(book);
    expect(stored.map((r) => [r.channel?.name ?? 'email', r.status, r.provider])).toEqual([
      ['email', 'sent', 'sendgrid'],
      ['teams:OPS', 'sent', 'teams'],
      ['webhook:PAGER', 'sent', 'webhook'],
    ]);
    const [email, ...notices] = stored;
    for (const notice of notices) {
      expect(notice.recordKey.startsWith(`${email?.recordKey}~`)).toBe(true);
      expect(notice.channel?.subject).toBe(email?.email?.subject);
      expect(notice.email).toBeUndefined();
    }
  });

  it('retries a channel that failed on the redelivery, without sending the e-mail or the other channel again', async () => {
    // Arrange
    const { w, teams, webhook, channels, rule } = setup();
    teams.script = ['retryable'];

    // Act
    const first = await w.deliver([rule], [request()], delivery(1), { channels });
    const again = await w.deliver([rule], [request()], delivery(1), { channels });

    // Assert
    expect(invocationFails(first)).toBe(true);
    expect(again.map((r) => r.kind)).toEqual(['alreadySent', 'sent', 'alreadySent']);
    expect([w.mailer.sends.length, teams.taken.length, webhook.taken.length]).toEqual([1, 1, 1]);
  });

  it('records a channel that refused the payload as rejected, never retried, while the others went', async () => {
    // Arrange
    const { book, w, teams, webhook, channels, rule, maintain } = setup();
    webhook.script = ['permanent'];

    // Act
    const first = await w.deliver([rule], [request()], delivery(1), { channels });
    const again = await w.deliver([rule], [request()], delivery(1), { channels });
    const summary = await maintain();

    // Assert
    expect(first.map((r) => r.kind)).toEqual(['sent', 'sent', 'rejected']);
    expect(again.map((r) => r.kind)).toEqual(['alreadySent', 'alreadySent', 'rejected']);
    expect(summary.open).toBe(0);
    expect([w.mailer.sends.length, teams.taken.length, webhook.taken.length]).toEqual([1, 1, 0]);
    expect(records(book).find((r) => r.channel?.name === 'webhook:PAGER')?.lastError).toContain('answered 400');
  });

  it('refuses a channel no setting names, saying which setting to set, and sends the rest', async () => {
    // Arrange
    const { book, w, teams, channels } = setup();
    const rule = ruleOf({ Notify: 'teams:OPS, slack:DEV' });

    // Act
    const results = await w.deliver([rule], [request()], delivery(1), { channels });

    // Assert
    expect(results.map((r) => r.kind)).toEqual(['sent', 'sent', 'rejected']);
    expect(teams.taken).toHaveLength(1);
    const slack = records(book).find((r) => r.channel?.name === 'slack:DEV');
    expect(slack?.status).toBe('rejected');
    expect(slack?.lastError).toBe('slack:DEV is not configured: set SLACK_WEBHOOK_DEV (docs/CHANNELS.md)');
  });

  it('re-drives from the maintenance timer a channel whose sender died, once its lease has passed', async () => {
    // Arrange
    const { w, teams, webhook, channels, rule, maintain } = setup();
    teams.script = ['die'];
    const died = new Promise<void>((resolve) => (teams.onDeath = resolve));

    // Act: the invocation dies while Teams is answering; the host has stopped retrying the blob
    void w.deliver([rule], [request()], delivery(1), { channels });
    await died;
    const during = await maintain();
    w.clock += LEASE_MS + MIN;
    const after = await maintain();
    const later = await maintain();

    // Assert
    expect(during.busy).toBe(2);
    expect(after.sent).toBe(2);
    expect(later.open).toBe(0);
    expect([w.mailer.sends.length, teams.taken.length, webhook.taken.length]).toEqual([1, 1, 1]);
  });

  it('sends the same bytes on a retry as the first try would have', async () => {
    // Arrange
    const { book, w, webhook, channels, rule } = setup();
    webhook.script = ['retryable'];
    await w.deliver([rule], [request()], delivery(1), { channels });
    const stored = records(book).find((r) => r.channel?.name === 'webhook:PAGER');

    // Act
    w.clock += 10 * MIN;
    await w.deliver([rule], [request()], delivery(1), { channels });

    // Assert
    expect(webhook.taken[0]?.body).toBe(stored?.channel?.payload.body);
  });

  it('tells each channel when the alert is over: a RESOLVED notice from the maintenance timer', async () => {
    // Arrange
    const { w, teams, webhook, channels } = setup();
    const rule = ruleOf({ Notify: 'teams:OPS, webhook:PAGER', WindowMinutes: 5, Threshold: 1 });
    await w.deliver([rule], [request()], delivery(1), { channels });

    // Act
    w.clock += 20 * MIN;
    const summary = await resolveEpisodes({ ...w.deps({ channels }), rules: async () => [rule] });
    const again = await resolveEpisodes({ ...w.deps({ channels }), rules: async () => [rule] });

    // Assert
    expect(summary).toMatchObject({ resolved: 1, sent: 3, failed: 0 });
    expect(again.resolved).toBe(0);
    expect(w.mailer.sends.map((m) => m.subject.startsWith('[Resolved]'))).toEqual([false, true]);
    expect(teams.taken).toHaveLength(2);
    expect(teams.taken[1]?.body).toContain('RESOLVED');
    const hook = JSON.parse(webhook.taken[1]?.body ?? '{}') as { state?: string };
    expect(hook.state).toBe('RESOLVED');
  });

  it("tells each channel of the groups past the rule's cap in one summary notice, written with the summary", async () => {
    // Arrange: a cap of 2 e-mails, 4 groups: one e-mail of its own, three in the summary
    const book = new MemoryAlertBook();
    const w = world(book, 2);
    const teams = new ScriptedChannel('teams', 'OPS');
    const channels = new Map<string, ChannelSender>([['teams:OPS', teams]]);
    const rule = ruleOf({ Notify: 'teams:OPS', GroupBy: 'cloud_RoleName' });
    const records = ['a', 'a', 'a', 'b', 'b', 'c', 'd'].map((role) => request({ cloud_RoleName: role }));

    // Act
    const results = await w.deliver([rule], records, delivery(1), { channels });

    // Assert
    expect(results.filter((r) => r.kind === 'sent').length).toBe(4);
    expect(w.mailer.sends).toHaveLength(2);
    expect(teams.taken).toHaveLength(2);
    const summaryCard = teams.taken[1]?.body ?? '';
    expect(summaryCard).toContain('3 more groups fired in this delivery');
    expect(summaryCard).toContain('cloud_RoleName=b (2)');
    const summary = [...book.records.values()].find((r) => r.groupKey === '#summary');
    expect(book.record(rule.scope + '/' + rule.id, `${summary?.recordKey}~teams:OPS`)?.status).toBe('sent');
  });

  it('sends the channel notices of a summary the maintenance timer writes for a dead invocation', async () => {
    // Arrange: the invocation dies before writing the summary
    const book = new MemoryAlertBook();
    const w = world(book, 2);
    const teams = new ScriptedChannel('teams', 'OPS');
    const channels = new Map<string, ChannelSender>([['teams:OPS', teams]]);
    const rule = ruleOf({ Notify: 'teams:OPS', GroupBy: 'cloud_RoleName' });
    const records = ['a', 'a', 'b', 'c'].map((role) => request({ cloud_RoleName: role }));
    const died = new Promise<void>((resolve) => {
      book.hook = (op, when) => (op === 'insert' && when === 'before' ? hang(resolve) : undefined);
    });
    void w.deliver([rule], records, delivery(1), { channels });
    await died;
    book.hook = () => {};

    // Act
    w.clock += LEASE_MS + MIN;
    const summary = await maintainAlerts({
      ...w.deps({ channels }),
      recordDays: 7,
      ruleFor: async () => rule,
      logger: silent,
    });
    const again = await maintainAlerts({
      ...w.deps({ channels }),
      recordDays: 7,
      ruleFor: async () => rule,
      logger: silent,
    });

    // Assert
    expect(summary.summaries).toBe(1);
    expect(again.summaries).toBe(0);
    expect(teams.taken.map((p) => p.body.includes('2 more groups fired'))).toEqual([false, true]);
  });

  it('writes no channel record for a rule without Notify', async () => {
    // Arrange
    const { book, w, channels } = setup();

    // Act
    await w.deliver([ruleOf()], [request()], delivery(1), { channels });

    // Assert
    expect(records(book).map((r) => r.channel)).toEqual([undefined]);
  });
});
