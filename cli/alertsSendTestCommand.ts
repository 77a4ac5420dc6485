import { randomBytes } from 'node:crypto';

import type { Command } from '@commander-js/extra-typings';

import { channelKey, createChannelSenders } from '../shared/adapters/channels/createChannelSenders';
import { createMailer } from '../shared/adapters/mail/createMailer';
import { loadConfig } from '../shared/adapters/settings/config';
import { sendTestAlert, type TestTarget } from '../shared/core/alerts/sendTestAlert';
import { testAlertDigest } from '../shared/core/alerts/testAlertDigest';
import type { Logger } from '../shared/core/logger';
import { compileRule, formatRuleProblems } from '../shared/core/rules/alertRule';
import { testResultJson, testResultLines } from './alertTestView';
import type { CliContext } from './cliContext';
import type { CommandSite } from './commandSite';
import { EXIT } from './exitCodes';
import { UsageError } from './localExportFiles';
import { CONNECTION_HELP, findRule } from './rulesCommand';

/**
 * `export-alerts alerts send-test --id RULE`: a test alert, clearly marked, through every channel of
 * the rule (issue 15 §1), to check recipients, webhook settings and receivers before an alert needs them.
 */
export function registerAlertsSendTest(alerts: Command, { ctx, run }: CommandSite): void {
  const sendTest = alerts
    .command('send-test')
    .summary("send a test alert, marked as one, to a rule's recipients and each channel of its Notify")
    .description(
      'Sends a test alert of the rule as if it had fired now on exactly its threshold: the e-mail (subject ' +
        '[TEST] …) to its Recipients through the configured mailer (SendGrid or the outbox), and a test ' +
        'notice to each channel of its Notify (teams:, slack:, webhook: NAME, from their settings). The one ' +
        'event it shows is made up, its GroupBy columns read (test). A test is not an alert: it is not ' +
        'recorded or deduplicated, and muting does not hold it. Prints one line per channel; exit code 1 ' +
        'when any channel did not take it (the others are sent all the same).',
    )
    .requiredOption('--id <rule>', 'rule id')
    .option('--scope <scope>', 'the rule’s scope, when the id exists in several')
    .option('--only <channels>', 'only these, comma-separated: email and channels of the rule’s Notify (teams:OPS)')
    .option('--json', 'print one JSON object: the rule, the test key and each channel’s result')
    .option('--connection <string>', CONNECTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ export-alerts alerts send-test --id checkout-5xx --scope shop-prod\n' +
        '  $ export-alerts alerts send-test --id checkout-5xx --only teams:OPS,webhook:PAGER',
    );
  sendTest.action((options) => run(sendTest, () => sendTestAlertOf(options, ctx)));
}

interface SendTestOptions {
  readonly id: string;
  readonly scope?: string;
  readonly only?: string;
  readonly json?: true;
  readonly connection?: string;
}

async function sendTestAlertOf(values: SendTestOptions, ctx: CliContext): Promise<number> {
  const config = loadConfig(ctx.env);
  const { entity } = await findRule(values.id, values, ctx);
  const name = `${entity.partitionKey}/${entity.rowKey}`;
  const compiled = compileRule(entity);
  if (!compiled.ok) {
    ctx.io.err(formatRuleProblems(entity.partitionKey, entity.rowKey, compiled.error));
    ctx.io.err(`rule ${name} is invalid: no test was sent; fix it first (rules show ${entity.rowKey})`);
    return EXIT.findings;
  }
  const rule = compiled.value;
  const targets = selectTargets([{ kind: 'email' }, ...rule.notifications.notify], values.only, name);
  if (!rule.enabled) ctx.io.err(`note: rule ${name} is disabled; its test is sent all the same`);

  const now = ctx.now();
  // A test has no ledger record; this key tells one test from another in headers and notices.
  const key = `test-${now.toISOString().replace(/[-:]|\.\d+/g, '')}-${randomBytes(4).toString('hex')}`;
  const senders = createChannelSenders(config.channels);
  const results = await sendTestAlert(testAlertDigest(rule, now, key, config.notice), targets, {
    mailer: createMailer(config.mail),
    senderOf: (ref) => senders.get(channelKey(ref)),
    from: config.mail.from,
    logger: warningsTo(ctx),
  });

  if (values.json) ctx.io.out(JSON.stringify(testResultJson(name, key, results), null, 2));
  else for (const line of testResultLines(results)) ctx.io.out(line);
  const failed = results.filter((r) => r.outcome === 'failed' || r.outcome === 'not-configured');
  if (failed.length === 0) return EXIT.ok;
  if (!values.json) {
    ctx.io.err(
      `${failed.length} of ${results.length} did not take the test: ${failed.map((r) => r.channel).join(', ')}`,
    );
  }
  return EXIT.findings;
}

/**
 * The targets `--only` keeps, in the rule's order: `email` and channels of its Notify, as Notify
 * writes them.
 * @throws UsageError for a name that is none of them
 */
function selectTargets(all: readonly TestTarget[], only: string | undefined, name: string): TestTarget[] {
  if (only === undefined) return [...all];
  const keyOf = (target: TestTarget): string => (target.kind === 'email' ? 'email' : channelKey(target));
  const known = all.map(keyOf);
  const wanted = only
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = wanted.filter((w) => !known.includes(w));
  if (wanted.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--only takes ${known.join(', ')} (the e-mail and rule ${name}'s Notify), comma-separated; found '${unknown.join(',') || only}'`,
    );
  }
  return all.filter((target) => wanted.includes(keyOf(target)));
}

/** Retries and other warnings of the senders, on stderr: the results say the rest. */
function warningsTo(ctx: CliContext): Logger {
  return { info: () => {}, warn: (line) => ctx.io.err(line), error: (line) => ctx.io.err(line) };
}
