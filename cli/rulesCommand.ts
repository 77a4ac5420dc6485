import { parseArgs } from 'node:util';

import type { RuleStore } from '../shared/adapters/storage/tableRuleStore';
import { defined } from '../shared/core/defined';
import { compileRule, formatRuleProblems, type RuleEntity } from '../shared/core/rules/alertRule';
import type { CliIo } from './cliIo';
import { cliRuleStore, cliStorage } from './cliSettings';
import { parseMinutes } from './durationOption';
import { UsageError } from './localExportFiles';
import { RULES_TEST_USAGE, rulesTestCommand } from './rulesTestCommand';

export const RULES_USAGE = `export-alerts rules add --scope S --id ID --query Q --to ADDRS [--severity N] [--threshold N]
      [--window 10m] [--group-by C] [--throttle 15m] [--max-events N] [--columns C,D] [--subject T] [--disabled]
  Validates the rule and writes it to the rules table; writes nothing when it is invalid.
export-alerts rules list | validate | show ID | remove ID | enable ID | disable ID   [--scope S]
  list shows every rule with its validity; validate exits 1 when any rule is invalid.
${RULES_TEST_USAGE}
  Rules commands read AzureWebJobsStorage (or ALERT_RULES_STORAGE) and ALERT_RULES_TABLE from the
  environment or local.settings.json; --connection overrides the connection string.`;

type Sub = (args: readonly string[], io: CliIo) => Promise<number>;

const SUBCOMMANDS: Record<string, Sub> = {
  add: addRule,
  list: listRules,
  validate: validateRules,
  show: showRule,
  remove: removeRule,
  enable: (args, io) => setEnabled(args, io, true),
  disable: (args, io) => setEnabled(args, io, false),
  test: rulesTestCommand,
};

/** `export-alerts rules …`: manage the rules table and back-test queries. */
export async function rulesCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  const sub = name === undefined ? undefined : SUBCOMMANDS[name];
  if (!sub)
    throw new UsageError(name === undefined ? 'rules needs a subcommand' : `unknown rules subcommand '${name}'`);
  return sub(rest, io);
}

const KEY_CHARACTERS = /^[^/\\#?\u0000-\u001f\u007f-\u009f]{1,512}$/;

async function addRule(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      scope: { type: 'string' },
      id: { type: 'string' },
      query: { type: 'string' },
      to: { type: 'string' },
      severity: { type: 'string' },
      threshold: { type: 'string' },
      window: { type: 'string' },
      'group-by': { type: 'string' },
      throttle: { type: 'string' },
      'max-events': { type: 'string' },
      columns: { type: 'string' },
      subject: { type: 'string' },
      disabled: { type: 'boolean' },
      connection: { type: 'string' },
    },
  });
  for (const required of ['scope', 'id', 'query', 'to'] as const) {
    if (values[required] === undefined) throw new UsageError(`rules add needs --${required}`);
  }
  for (const key of ['scope', 'id'] as const) {
    if (!KEY_CHARACTERS.test(defined(values[key], `--${key}`))) {
      throw new UsageError(`--${key} may not contain / \\ # ? or control characters (Table Storage keys)`);
    }
  }
  const entity: RuleEntity = withoutUndefined({
    partitionKey: defined(values.scope, '--scope'),
    rowKey: defined(values.id, '--id'),
    Query: values.query,
    Recipients: values.to,
    Enabled: !values.disabled,
    Severity: values.severity === undefined ? undefined : Number(values.severity),
    Threshold: values.threshold === undefined ? undefined : Number(values.threshold),
    WindowMinutes: values.window === undefined ? undefined : parseMinutes('--window', values.window),
    GroupBy: values['group-by'],
    ThrottleMinutes: values.throttle === undefined ? undefined : parseMinutes('--throttle', values.throttle),
    MaxEvents: values['max-events'] === undefined ? undefined : Number(values['max-events']),
    Columns: values.columns,
    Subject: values.subject,
  });
  const compiled = compileRule(entity);
  if (!compiled.ok) {
    io.err(formatRuleProblems(entity.partitionKey, entity.rowKey, compiled.error));
    io.err('nothing was written');
    return 1;
  }
  await cliRuleStore(cliStorage(values.connection)).put({ ...entity, LastError: '' });
  io.out(
    `added rule ${entity.partitionKey}/${entity.rowKey} (${compiled.value.table}, ${compiled.value.recipients.length} recipients)`,
  );
  return 0;
}

async function listRules(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { connection: { type: 'string' }, json: { type: 'boolean' } },
  });
  const rules = await cliRuleStore(cliStorage(values.connection)).list();
  if (rules.length === 0) io.out('no rules');
  for (const entity of sortRules(rules)) {
    const compiled = compileRule(entity);
    const enabled = compiled.ok ? compiled.value.enabled : entity.Enabled !== false && entity.Enabled !== 'false';
    const status = compiled.ok ? 'valid' : `INVALID: ${compiled.error.map((p) => p.message).join('; ')}`;
    io.out(
      `${entity.partitionKey}/${entity.rowKey}\t${enabled ? 'enabled' : 'disabled'}\t${status}\t${typeof entity.Query === 'string' ? entity.Query : JSON.stringify(entity.Query ?? '')}`,
    );
  }
  return 0;
}

async function validateRules(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { connection: { type: 'string' } } });
  const rules = await cliRuleStore(cliStorage(values.connection)).list();
  let invalid = 0;
  for (const entity of sortRules(rules)) {
    const compiled = compileRule(entity);
    if (compiled.ok) continue;
    invalid++;
    io.out(formatRuleProblems(entity.partitionKey, entity.rowKey, compiled.error));
  }
  io.out(`${rules.length} rules, ${rules.length - invalid} valid, ${invalid} invalid`);
  return invalid > 0 ? 1 : 0;
}

async function showRule(args: readonly string[], io: CliIo): Promise<number> {
  const { entity } = await findRule(args);
  const compiled = compileRule(entity);
  for (const [key, value] of Object.entries(entity)) {
    if (key === 'etag' || key === 'timestamp') continue;
    io.out(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  io.out(`status: ${compiled.ok ? `valid (${compiled.value.table})` : 'INVALID'}`);
  if (!compiled.ok) for (const p of compiled.error) io.out(`  ${p.property}: ${p.message}`);
  return 0;
}

async function removeRule(args: readonly string[], io: CliIo): Promise<number> {
  const { store, entity } = await findRule(args);
  await store.remove(entity.partitionKey, entity.rowKey);
  io.out(`removed rule ${entity.partitionKey}/${entity.rowKey}`);
  return 0;
}

async function setEnabled(args: readonly string[], io: CliIo, enabled: boolean): Promise<number> {
  const { store, entity } = await findRule(args);
  await store.put({ ...entity, Enabled: enabled });
  io.out(`${enabled ? 'enabled' : 'disabled'} rule ${entity.partitionKey}/${entity.rowKey}`);
  return 0;
}

/** A rule by id; ids are unique within a scope only, so an id used in several scopes needs --scope. */
async function findRule(args: readonly string[]): Promise<{ store: RuleStore; entity: RuleEntity }> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { scope: { type: 'string' }, connection: { type: 'string' } },
  });
  const [id] = positionals;
  if (id === undefined || positionals.length > 1) throw new UsageError('give exactly one rule id');
  const store = cliRuleStore(cliStorage(values.connection));
  const candidates = (await store.list()).filter(
    (r) => r.rowKey === id && (values.scope === undefined || r.partitionKey === values.scope),
  );
  const [entity] = candidates;
  if (entity === undefined)
    throw new UsageError(`no rule '${id}'${values.scope === undefined ? '' : ` in scope '${values.scope}'`}`);
  if (candidates.length > 1) {
    throw new UsageError(
      `rule id '${id}' exists in scopes ${candidates.map((c) => `'${c.partitionKey}'`).join(', ')}: pass --scope`,
    );
  }
  return { store, entity };
}

function sortRules(rules: RuleEntity[]): RuleEntity[] {
  return [...rules].sort((a, b) => a.partitionKey.localeCompare(b.partitionKey) || a.rowKey.localeCompare(b.rowKey));
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
