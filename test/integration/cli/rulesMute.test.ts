import { TableClient } from '@azure/data-tables';

import { runCli } from '../../../cli/main';
import { TableAlertBook } from '../../../shared/adapters/storage/tableAlertBook';
import { deliverAlerts } from '../../../shared/core/alerts/deliverAlerts';
import { MatchCollector } from '../../../shared/core/alerts/matchCollector';
import { compileRule } from '../../../shared/core/rules/alertRule';
import { testConnectionString, uniqueName } from '../../harness/storage';
import { startTableProxy } from '../../harness/tableProxy';
import { delivery, ScriptedMailer, silent } from '../../unit/alerts/alertWorld';

// Issue 15 §3: `rules mute` and `rules unmute`, a rule's (MuteUntil, through the rules table on its
// ETag) and a group's (in its alert state), and what `rules show` and `rules status` say of them.

const NOW = Date.UTC(2024, 2, 5, 13, 10);
const MIN = 60_000;

interface Tables {
  readonly rules: TableClient;
  readonly state: TableClient;
  readonly run: (...argv: string[]) => Promise<{ code: number; out: string[]; err: string[] }>;
  readonly runVia: (connection: string, ...argv: string[]) => Promise<{ code: number; out: string[]; err: string[] }>;
}

/** Fresh rules and state tables on the test Azurite, two rules in them, and the CLI pointed at them at NOW. */
async function tables(): Promise<Tables> {
  const name = uniqueName('mute').replace(/[^a-z0-9]/g, '');
  const open = (table: string) =>
    TableClient.fromConnectionString(testConnectionString(), table, { allowInsecureConnection: true });
  const rules = open(`r${name}`);
  const state = open(`s${name}`);
  await rules.createTable();
  await rules.createEntity({
    partitionKey: 'shop',
    rowKey: 'checkout-5xx',
    Query: 'requests | where toint(resultCode) >= 500',
    Recipients: 'ops@example.com',
    GroupBy: 'cloud_RoleName',
    ThrottleMinutes: 0,
    LastError: '',
  });
  await rules.createEntity({
    partitionKey: 'shop',
    rowKey: 'slow',
    Query: 'requests | where duration > 5000',
    Recipients: 'ops@example.com',
    MuteSchedule: '0 0 22 * * *',
    MuteMinutes: 600,
    TimeZone: 'Europe/Berlin',
    LastError: '',
  });
  const runVia = async (connection: string, ...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const env = {
      AzureWebJobsStorage: connection,
      ALERT_RULES_TABLE: rules.tableName,
      ALERT_STATE_TABLE: state.tableName,
    };
    const code = await runCli(
      argv,
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      { env, now: () => new Date(NOW) },
    );
    return { code, out, err };
  };
  return { rules, state, run: (...argv) => runVia(testConnectionString(), ...argv), runVia };
}

describe('export-alerts rules mute / unmute', () => {
  it('mutes a rule through its MuteUntil, shows it, and unmutes it', async () => {
    // Arrange
    const { rules, run } = await tables();

    // Act
    const mute = await run('rules', 'mute', 'checkout-5xx', '--for', '2h');
    const stored = await rules.getEntity('shop', 'checkout-5xx');
    const show = await run('rules', 'show', 'checkout-5xx');
    const status = await run('rules', 'status', 'checkout-5xx');
    const unmute = await run('rules', 'unmute', 'checkout-5xx', '--scope', 'shop');
    const again = await run('rules', 'unmute', 'checkout-5xx');

    // Assert
    expect(mute).toEqual({
      code: 0,
      out: [
        'muted rule shop/checkout-5xx until 2024-03-05 15:10:00 UTC (2h): matches are counted, not sent; the next e-mail says how many were held',
      ],
      err: [],
    });
    expect(stored['MuteUntil']).toBe('2024-03-05T15:10:00.000Z');
    expect(show.out.slice(-2)).toEqual([
      '  ResourceId       -  (default)',
      '  Muted            until 2024-03-05 15:10:00 UTC (MuteUntil)',
    ]);
    expect(status.out).toEqual([
      'alert state at 2024-03-05 13:10:00 UTC',
      'RULE               GROUP  THROTTLE                                       WINDOW  LAST FIRED  MUTE',
      'shop/checkout-5xx  -      no state: never matched, or idle past 15 days  -       -           muted until 15:10 UTC (MuteUntil)',
      '1 rule, 0 groups with state, 0 quiet under a throttle, 0 muted',
    ]);
    expect(unmute).toEqual({ code: 0, out: ['unmuted rule shop/checkout-5xx (MuteUntil removed)'], err: [] });
    expect((await rules.getEntity('shop', 'checkout-5xx'))['MuteUntil']).toBeUndefined();
    expect(again.out).toEqual(['rule shop/checkout-5xx has no MuteUntil: nothing was written']);
  });

  it('writes nothing when the rule changed after it was read', async () => {
    // Arrange: someone raises the threshold between the command's read and its write
    const { rules, runVia } = await tables();
    const proxy = await startTableProxy(async () => {
      const { etag } = await rules.getEntity('shop', 'checkout-5xx');
      await rules.updateEntity({ partitionKey: 'shop', rowKey: 'checkout-5xx', Threshold: 9 }, 'Merge', { etag });
    });

    // Act
    const result = await runVia(proxy.connectionString, 'rules', 'mute', 'checkout-5xx', '--for', '30m').finally(() =>
      proxy.close(),
    );

    // Assert
    expect(result).toEqual({
      code: 1,
      out: [],
      err: [
        'rule shop/checkout-5xx was changed or removed in the table after it was read: nothing was written; run it again',
      ],
    });
    const stored = await rules.getEntity('shop', 'checkout-5xx');
    expect([stored['Threshold'], stored['MuteUntil']]).toEqual([9, undefined]);
  });

  it('mutes one group in its alert state: its matches are held, and the next e-mail after the unmute says so', async () => {
    // Arrange
    const { state, run } = await tables();
    const compiled = compileRule({
      partitionKey: 'shop',
      rowKey: 'checkout-5xx',
      Query: 'requests | where toint(resultCode) >= 500',
      Recipients: 'ops@example.com',
      GroupBy: 'cloud_RoleName',
      ThrottleMinutes: 0,
    });
    if (!compiled.ok) throw new Error('rule');
    const rule = compiled.value;
    const mailer = new ScriptedMailer();
    let clock = NOW;
    const deliver = async (n: number, role: string) => {
      const collector = new MatchCollector([rule], clock, clock);
      collector.add({
        table: 'requests',
        columns: { resultCode: '500', cloud_RoleName: role, timestamp: new Date(clock - MIN), itemCount: 1 },
        raw: {},
      });
      return deliverAlerts(collector.all(), delivery(n, clock), {
        book: new TableAlertBook(state, async () => {}),
        mailer,
        now: () => clock,
        logger: silent,
        from: 'alerts@example.com',
        leaseMs: 5 * MIN,
        maxEmailsPerRule: 10,
        pause: async () => {},
      });
    };

    // Act
    const mute = await run('rules', 'mute', 'checkout-5xx', '--for', '1h', '--group', 'Contoso.Api');
    const held = await deliver(1, 'Contoso.Api');
    const other = await deliver(2, 'Contoso.Web');
    const status = await run('rules', 'status', 'checkout-5xx');
    const show = await run('rules', 'show', 'checkout-5xx');
    const unmute = await run('rules', 'unmute', 'checkout-5xx', '--group', 'cloud_RoleName=Contoso.Api');
    clock += 10 * MIN;
    const fired = await deliver(3, 'Contoso.Api');

    // Assert
    expect(mute.out).toEqual([
      'muted group cloud_RoleName=Contoso.Api of rule shop/checkout-5xx until 2024-03-05 14:10:00 UTC (1h): its matches are counted, not sent; the next e-mail says how many were held',
    ]);
    expect([held, other]).toEqual([[{ kind: 'suppressed' }], [{ kind: 'sent' }]]);
    expect(status.out).toEqual([
      'alert state at 2024-03-05 13:10:00 UTC',
      'RULE               GROUP                       THROTTLE                              WINDOW                                LAST FIRED  MUTE',
      'shop/checkout-5xx  cloud_RoleName=Contoso.Api  not throttled (never fired)           threshold 1 per delivery (no window)  never       muted until 14:10 UTC (group), 1 match held',
      'shop/checkout-5xx  cloud_RoleName=Contoso.Web  not throttled (last fired 13:10 UTC)  threshold 1 per delivery (no window)  13:10 UTC   -',
      '1 rule, 2 groups with state, 0 quiet under a throttle, 1 muted',
    ]);
    expect(show.out.slice(-1)).toEqual(['  Muted groups     cloud_RoleName=Contoso.Api until 2024-03-05 14:10:00 UTC']);
    expect(unmute.out).toEqual(['unmuted group cloud_RoleName=Contoso.Api of rule shop/checkout-5xx']);
    expect(fired).toEqual([{ kind: 'sent' }]);
    expect(mailer.sends.at(-1)?.text).toContain('1 more match came in while the rule was muted');
  });

  it('keeps a delivery that changed the group while the mute was being written', async () => {
    // Arrange: a delivery counts a throttled match between the command's read and its write
    const { state, runVia } = await tables();
    const direct = new TableAlertBook(state, async () => {});
    const proxy = await startTableProxy(async () => {
      await direct.changeState(
        'shop/checkout-5xx',
        '[["cloud_RoleName","Contoso.Api"]]',
        (current) => ({
          state: {
            minutes: {},
            ...(current ?? {}),
            suppressed: { rows: 1, weighted: 1, since: NOW },
          },
        }),
        NOW,
      );
    });

    // Act
    const result = await runVia(
      proxy.connectionString,
      'rules',
      'mute',
      'checkout-5xx',
      '--for',
      '45m',
      '--group',
      'Contoso.Api',
    ).finally(() => proxy.close());

    // Assert
    expect(result.code).toBe(0);
    let stored: unknown;
    await direct.changeState(
      'shop/checkout-5xx',
      '[["cloud_RoleName","Contoso.Api"]]',
      (current) => {
        stored = current;
        return undefined;
      },
      NOW,
    );
    expect(stored).toMatchObject({ muteUntil: NOW + 45 * MIN, suppressed: { rows: 1 } });
  });

  it.each([
    [['slow', '--for', '1h', '--group', 'x'], 'rule shop/slow has no GroupBy: mute the whole rule, without --group'],
    [
      ['checkout-5xx', '--for', '15d', '--group', 'x'],
      '--for with --group takes at most 14d (a group idle for 15 days loses its state, mute and all); mute the whole rule for longer',
    ],
    [['checkout-5xx', '--for', '0m'], "--for takes a duration above zero, such as 30m, 2h or 1d, found '0m'"],
    [['checkout-5xx', '--for', 'soon'], "--for takes a duration such as 10m, 2h or 1d, found 'soon'"],
  ])('refuses rules mute %j', async (argv, message) => {
    const { run } = await tables();
    expect(await run('rules', 'mute', ...argv)).toEqual({
      code: 2,
      out: [],
      err: [`export-alerts rules mute: ${message}`, "(run 'export-alerts rules mute --help' for usage)"],
    });
  });

  it('shows a rule’s recurring quiet time, read in its time zone', async () => {
    // Act: 13:10 UTC is 14:10 in Berlin; the next quiet time starts at 22:00 there
    const { run } = await tables();
    const show = await run('rules', 'show', 'slow');

    // Assert
    expect(show.out.slice(-1)).toEqual([
      '  Muted            no; next quiet time 22:00 Europe/Berlin to 2024-03-06 08:00 Europe/Berlin (from 2024-03-05 21:00:00 UTC)',
    ]);
  });
});
