import type { Command } from '@commander-js/extra-typings';

import type { RecordStatus } from '../shared/core/alerts/alertRecord';
import { plural } from '../shared/core/plural';
import type { RuleEntity } from '../shared/core/rules/alertRule';
import { alertLineRows, alertListFooter, EMAIL_STATUSES, NewestLines } from '../shared/core/status/alertLine';
import { formatAlertRecord } from '../shared/core/status/formatAlertRecord';
import {
  type AlertBookStorage,
  alertBookStorage,
  countOption,
  HOST_CONNECTION_HELP,
  ruleKeysFor,
  sinceOption,
  sinceText,
} from './alertBookStorage';
import { lineJson, recordJson } from './alertJson';
import { registerAlertsSendTest } from './alertsSendTestCommand';
import type { CliContext } from './cliContext';
import type { CommandSite } from './commandSite';
import { UsageError } from './localExportFiles';
import { formatTable } from './textTable';

const ALL_STATUSES: readonly RecordStatus[] = [...EMAIL_STATUSES, 'counted', 'suppressed', 'covered', 'summarized'];
const MAX_LIMIT = 10_000;

/** `export-alerts alerts list | show`: what the alerts did, from their delivery records. */
export function registerAlerts(parent: Command, { ctx, run }: CommandSite): void {
  const alerts = parent
    .command('alerts')
    .summary('what happened: the alert e-mails and their delivery records')
    .description(
      'Reads the delivery records the functions keep per rule, group and delivery in ALERT_STATE_TABLE ' +
        '(AzureWebJobsStorage): when each alert was decided, its matches, who it went to, what SendGrid or ' +
        'the outbox said. Records are kept ALERT_RECORD_DAYS (default 7).',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ export-alerts alerts list --since 2h\n  $ export-alerts alerts show <KEY from the list> --rule shop-prod/checkout-5xx',
    );

  const list = alerts
    .command('list')
    .summary('list alert e-mails, newest first')
    .description(
      'Lists the alerts of the last --since, newest first: time (UTC), rule, group, matches, status, ' +
        'recipients, the record key (for alerts show) and the SendGrid message id or the outbox file. ' +
        'Without --status it lists e-mails (sending, sent, failed, rejected); decisions that sent none ' +
        '(counted, suppressed, covered by a summary) are listed with --status.',
    )
    .option('--rule <rule>', 'only this rule: its id (every scope that has it) or <scope>/<id>')
    .option('--scope <scope>', 'only the rules of this scope')
    .option('--since <duration>', 'how far back, by the time the alert was decided: 30m, 24h, 7d', '24h')
    .option(
      '--status <status>',
      `only these statuses, comma-separated: ${ALL_STATUSES.join(', ')}, or all (default: ${EMAIL_STATUSES.join(', ')})`,
    )
    .option('--limit <n>', 'list at most this many, the newest', '50')
    .option('--json', 'print a JSON array of the alerts, every field, times in ISO 8601 UTC')
    .option('--connection <string>', HOST_CONNECTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ export-alerts alerts list\n  $ export-alerts alerts list --rule checkout-5xx --since 7d --status failed,rejected\n' +
        '  $ export-alerts alerts list --scope shop-prod --json | jq \'.[] | select(.status == "sent") | .messageIds\'',
    );
  list.action((options) => run(list, () => listAlerts(options, ctx)));

  const show = alerts
    .command('show')
    .summary('print one alert record in full: e-mail, attempts, last error')
    .description(
      'Prints one delivery record: status, times (UTC), attempts, lease, matches, blob, provider and message ' +
        'ids or outbox file, last error, and the stored e-mail (from, to, subject, headers, text).',
    )
    .argument('<key>', "the record key: the KEY column of 'alerts list', the X-Alert-Ledger-Key header of the e-mail")
    .option(
      '--rule <rule>',
      'the rule (<scope>/<id> or id), when the key is in several rules (one delivery, several rules)',
    )
    .option('--scope <scope>', "the rule's scope, with --rule <id>")
    .option('--json', 'print the record as JSON, the HTML part of the e-mail included')
    .option('--connection <string>', HOST_CONNECTION_HELP)
    .addHelpText(
      'after',
      '\nExample:\n  $ export-alerts alerts show d~3mF0cQ2b9xY1kL8aPq4Rz7Tu5Vw6Xy0A --rule shop-prod/checkout-5xx',
    );
  show.action((key, options) => run(show, () => showAlert(key, options, ctx)));

  registerAlertsSendTest(alerts, { ctx, run });
}

interface ListOptions {
  readonly rule?: string;
  readonly scope?: string;
  readonly since: string;
  readonly status?: string;
  readonly limit: string;
  readonly json?: true;
  readonly connection?: string;
}

async function listAlerts(values: ListOptions, ctx: CliContext): Promise<number> {
  const now = ctx.now().getTime();
  const { since, minutes } = sinceOption(values.since, now);
  const limit = countOption('--limit', values.limit, MAX_LIMIT);
  const statuses = statusesOf(values.status);
  const storage = alertBookStorage(values.connection, ctx.env);
  const where =
    values.rule !== undefined
      ? {
          kind: 'rules' as const,
          ruleKeys: ruleKeysFor(values.rule, values.scope, await rulesIfNeeded(values.rule, values.scope, storage)),
        }
      : values.scope !== undefined
        ? { kind: 'scope' as const, scope: values.scope }
        : { kind: 'all' as const };
  const newest = new NewestLines(limit);
  for await (const line of storage.ledger.listLines({ where, since, statuses })) newest.add(line);
  const lines = await storage.ledger.completeLines(newest.newest());
  for (const problem of storage.ledger.unreadable) ctx.io.err(`skipped: ${problem}`);

  if (values.json) {
    ctx.io.out(JSON.stringify(lines.map(lineJson), null, 2));
    return storage.ledger.unreadable.length > 0 ? 1 : 0;
  }
  const noun = values.status === undefined ? 'alert' : 'record';
  const what = `${sinceText(minutes)}${whereText(values)}`;
  if (lines.length === 0) {
    ctx.io.out(`no ${noun}s ${what}${statusText(values.status)}`);
    return storage.ledger.unreadable.length > 0 ? 1 : 0;
  }
  const { header, rows } = alertLineRows(lines);
  for (const line of formatTable(header, rows)) ctx.io.out(line);
  ctx.io.out(alertListFooter(lines, newest.total, noun, what));
  return storage.ledger.unreadable.length > 0 ? 1 : 0;
}

interface ShowOptions {
  readonly rule?: string;
  readonly scope?: string;
  readonly json?: true;
  readonly connection?: string;
}

async function showAlert(key: string, values: ShowOptions, ctx: CliContext): Promise<number> {
  const storage = alertBookStorage(values.connection, ctx.env);
  const ruleKeys =
    values.rule === undefined
      ? undefined
      : ruleKeysFor(values.rule, values.scope, await rulesIfNeeded(values.rule, values.scope, storage));
  const records = await storage.ledger.findRecords(key, ruleKeys);
  for (const problem of storage.ledger.unreadable) ctx.io.err(`skipped: ${problem}`);
  // One delivery and group have the same key in every rule they touched; an e-mail's key names the one that sent it.
  const withEmail = records.filter((r) => r.email !== undefined);
  const [record] = records.length > 1 && withEmail.length === 1 ? withEmail : records;
  if (record === undefined) {
    throw new UsageError(
      `no alert record '${key}'${values.rule === undefined ? '' : ` of rule ${values.rule}`}: records are kept ALERT_RECORD_DAYS (default 7)`,
    );
  }
  if (records.length > 1 && withEmail.length !== 1) {
    throw new UsageError(
      `alert record '${key}' exists for ${plural(records.length, 'rule')} (${records.map((r) => r.ruleKey).join(', ')}): pass --rule`,
    );
  }
  if (values.json) ctx.io.out(JSON.stringify(recordJson(record), null, 2));
  else for (const line of formatAlertRecord(record, ctx.now().getTime())) ctx.io.out(line);
  return 0;
}

/** The rules table is read only when an id alone must be found in it. */
async function rulesIfNeeded(
  rule: string,
  scope: string | undefined,
  storage: AlertBookStorage,
): Promise<RuleEntity[]> {
  return rule.includes('/') || scope !== undefined ? [] : storage.rules.list();
}

function statusesOf(option: string | undefined): RecordStatus[] {
  if (option === undefined) return [...EMAIL_STATUSES];
  const names = option
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (names.includes('all')) return [...ALL_STATUSES];
  const unknown = names.filter((s) => !(ALL_STATUSES as readonly string[]).includes(s));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(
      `--status takes ${ALL_STATUSES.join(', ')} or all, comma-separated; found '${unknown.join(',') || option}'`,
    );
  }
  return names as RecordStatus[];
}

function whereText(values: ListOptions): string {
  if (values.rule !== undefined)
    return ` for rule ${values.rule}${values.scope === undefined ? '' : ` in scope ${values.scope}`}`;
  return values.scope === undefined ? '' : ` in scope ${values.scope}`;
}

function statusText(option: string | undefined): string {
  return option === undefined ? '' : ` with status ${option}`;
}
