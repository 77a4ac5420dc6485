import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';

import type { ExportBlobRef } from '../shared/export/parseExportPath';
import { parseExportPath } from '../shared/export/parseExportPath';
import { readExportRecords, type RecordStream } from '../shared/export/readExportRecords';
import type { RowProblem } from '../shared/export/readExportRows';
import { parseSuccessorPath, successorContainerTable, type SuccessorBlobRef } from '../shared/export/successorPath';
import type { TelemetryRecord } from '../shared/export/telemetryRecord';
import { tableForType, type TableName, type TelemetryType, typeForTable } from '../shared/export/telemetryTypes';
import { readWorkspaceRecords, type WorkspaceBlobRef } from '../shared/export/workspace/readWorkspaceRecords';
import { classicTableOf } from '../shared/export/workspaceTables';
import { loadConfig } from '../shared/config';
import { MatchCollector } from '../shared/alerts/matchCollector';
import { AlertSimulator, depositTimeOf } from '../shared/alerts/simulateAlerts';
import { compileRule, formatRuleProblems, type AlertRule } from '../shared/rules/alertRule';
import { blobServiceClientFrom } from '../shared/storage/clients';
import type { CliIo } from './cliIo';
import { cliEnvironment, cliRuleStore, cliStorage } from './cliSettings';
import { parseMinutes } from './durationOption';
import {
  listLocalExportFiles,
  parseSuccessorFormat,
  parseTelemetryType,
  parseWorkspaceTable,
  type Placement,
  UsageError,
} from './localExportFiles';
import { boundedStringify } from '../shared/json/boundedStringify';
import { recordJson } from './recordJson';

export const RULES_TEST_USAGE = `export-alerts rules test (--query Q | --id ID [--scope S]) PATH... [--type T | --table T [--format F]] [--json | --render]
export-alerts rules test (--query Q | --id ID [--scope S]) --container C [--prefix P] [--since 7d] [--json | --render]
  Back-tests a query (classic or workspace schema) against local export files or folders, or against
  the blobs of a container in storage (EXPORT_STORAGE, else AzureWebJobsStorage, or --connection): the
  Continuous Export container, or a successor one (insights-logs-apprequests, am-apprequests). Local
  successor files are placed by their path below a folder named like the container, else by --table
  (and --format). Prints the matching records, a count per blob and a summary; --json prints each
  matching record as one JSON line and nothing else on stdout; --render prints the e-mails the rule
  would send (subject and text), with its firing, grouping and throttling decisions per blob.`;

type BackTest = AlertRule;

interface Source {
  readonly label: string;
  /** The classic table its records carry, whichever schema the blob is in. */
  readonly table: TableName;
  /** Where the blob sits, for the back-test's clock; a successor blob's period stands in for the hour. */
  readonly ref: ExportBlobRef;
  read(onBadRow: (problem: RowProblem) => void): Promise<RecordStream>;
}

/** `rules test`: runs a query over export data the same way the blob function does. */
export async function rulesTestCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      query: { type: 'string' }, id: { type: 'string' }, scope: { type: 'string' }, type: { type: 'string' },
      json: { type: 'boolean' }, container: { type: 'string' }, prefix: { type: 'string' }, since: { type: 'string' },
      connection: { type: 'string' }, render: { type: 'boolean' }, table: { type: 'string' }, format: { type: 'string' },
    },
  });
  if (values.json && values.render) throw new UsageError('--json and --render do not go together');
  if ((values.query === undefined) === (values.id === undefined)) throw new UsageError('rules test needs --query or --id (one of them)');
  if ((positionals.length === 0) === (values.container === undefined)) {
    throw new UsageError('rules test needs local PATHs or --container (one of them)');
  }
  const test = await backTestOf(values.query, values.id, values.scope, values.connection, io);
  if (!test) return 1;

  const type = parseTelemetryType(values.type);
  const table = parseWorkspaceTable(values.table);
  const format = parseSuccessorFormat(values.format);
  const placement = { ...(type === undefined ? {} : { type }), ...(table === undefined ? {} : { table }), ...(format === undefined ? {} : { format }) };
  const sources = values.container === undefined
    ? await localSources(positionals, placement)
    : await storageSources(values.container, values.prefix, values.since, values.connection);
  const wanted = sources.filter((s) => s.table === test.table);
  const say = values.json ? io.err : io.out;
  const totals = { blobs: 0, records: 0, matches: 0, badRows: 0 };
  let lastProgress = Date.now();
  const simulator = new AlertSimulator(loadConfig(cliEnvironment()).mail.from);
  for (const source of wanted) {
    const records = await source.read((p) => io.err(`${source.label}:${p.line}: ${p.reason}`));
    const collector = new MatchCollector([test], depositTimeOf(source.ref));
    let matches = 0;
    for await (const record of records) {
      if (!test.matches(record)) continue;
      matches++;
      if (values.render) collector.add(record);
      else io.out(values.json ? recordJson(record.columns) : `${source.label}:${record.line ?? '?'}\t${describe(record, test)}`);
    }
    if (values.render) {
      for (const bucket of collector.all()) renderDecision(simulator, bucket, source, io);
    }
    totals.blobs++;
    totals.records += records.stats.records;
    totals.badRows += records.stats.badRows;
    totals.matches += matches;
    say(`${source.label}: ${matches} matches of ${records.stats.records} records`);
    if (Date.now() - lastProgress > 2000) {
      io.err(`… ${totals.blobs}/${wanted.length} blobs, ${totals.matches} matches so far`);
      lastProgress = Date.now();
    }
  }
  const skipped = sources.length - wanted.length;
  say(
    `${totals.blobs} blobs of ${test.table}, ${totals.records} records, ${totals.matches} matches, ` +
      `${totals.badRows} malformed rows${skipped > 0 ? `, ${skipped} blobs of other tables skipped` : ''}`,
  );
  return 0;
}

async function backTestOf(
  query: string | undefined,
  id: string | undefined,
  scope: string | undefined,
  connection: string | undefined,
  io: CliIo,
): Promise<BackTest | undefined> {
  if (query !== undefined) {
    const compiled = compileRule({ partitionKey: 'back-test', rowKey: 'query', Query: query, Recipients: 'you@example.com' });
    if (compiled.ok) return compiled.value;
    for (const problem of compiled.error) io.err(`query ${problem.message}`);
    return undefined;
  }
  const rules = (await cliRuleStore(cliStorage(connection)).list()).filter((r) => r.rowKey === id && (scope === undefined || r.partitionKey === scope));
  if (rules.length !== 1) {
    throw new UsageError(rules.length === 0 ? `no rule '${id}'` : `rule id '${id}' exists in several scopes: pass --scope`);
  }
  const entity = rules[0]!;
  const compiled = compileRule(entity);
  if (!compiled.ok) {
    io.err(formatRuleProblems(entity.partitionKey, entity.rowKey, compiled.error));
    return undefined;
  }
  return compiled.value;
}

async function localSources(paths: readonly string[], placement: Placement): Promise<Source[]> {
  const files = await listLocalExportFiles(paths, placement);
  const unplaced = files.find((f) => !f.ref && !f.successor);
  if (unplaced) throw new UsageError(`${unplaced.file}: ${unplaced.reason ?? 'not an export file'}`);
  return files.map((f) => {
    const open = async () => createReadStream(f.file);
    if (f.successor === undefined) return ceSource(f.file, f.ref as ExportBlobRef, open);
    const period = f.successor.ref ?? { periodStart: new Date(0), componentName: 'local' };
    return successorSource(f.file, { blobName: f.file, table: f.successor.table }, period, open);
  });
}

function ceSource(label: string, ref: ExportBlobRef, open: () => Promise<NodeJS.ReadableStream>): Source {
  return { label, ref, table: tableForType(ref.telemetryType), read: async (onBadRow) => readExportRecords(ref, await open(), { onBadRow }) };
}

function successorSource(
  label: string,
  blob: WorkspaceBlobRef,
  period: Pick<SuccessorBlobRef, 'periodStart' | 'componentName'>,
  open: () => Promise<NodeJS.ReadableStream>,
): Source {
  const table = classicTableOf(blob.table);
  const ref: ExportBlobRef = {
    blobName: blob.blobName,
    folder: period.componentName ?? 'workspace',
    appName: period.componentName ?? 'workspace',
    instrumentationKey: '',
    telemetryType: typeForTable(table) as TelemetryType,
    depositedAt: period.periodStart,
    fileName: blob.blobName.split('/').pop() ?? blob.blobName,
  };
  return { label, ref, table, read: async (onBadRow) => readWorkspaceRecords(blob, await open(), { onBadRow }) };
}

async function storageSources(container: string, prefix: string | undefined, since: string | undefined, connection: string | undefined): Promise<Source[]> {
  const connectionString = connection ?? cliStorage(undefined, cliEnvironment()).config.exportConnection;
  if (!connectionString) throw new UsageError('no storage connection: set EXPORT_STORAGE or AzureWebJobsStorage, or pass --connection');
  const after = since === undefined ? undefined : Date.now() - parseMinutes('--since', since) * 60_000;
  const client = blobServiceClientFrom(connectionString).getContainerClient(container);
  const successor = successorContainerTable(container) !== undefined;
  const sources: Source[] = [];
  for await (const blob of client.listBlobsFlat(prefix === undefined ? {} : { prefix })) {
    const label = `${container}/${blob.name}`;
    const open = async () => {
      const download = await client.getBlobClient(blob.name).download();
      if (!download.readableStreamBody) throw new Error(`blob ${blob.name} has no content stream`);
      return download.readableStreamBody;
    };
    if (successor) {
      const ref = parseSuccessorPath(container, blob.name);
      // A period folder is kept when any of it falls inside --since.
      if (!ref.ok || (after !== undefined && ref.value.periodStart.getTime() + ref.value.periodMinutes * 60_000 <= after)) continue;
      sources.push(successorSource(label, { blobName: blob.name, table: ref.value.table }, ref.value, open));
      continue;
    }
    const ref = parseExportPath(blob.name);
    if (!ref.ok || (after !== undefined && ref.value.depositedAt.getTime() + 3_600_000 <= after)) continue;
    sources.push(ceSource(label, ref.value, open));
  }
  return sources;
}

/** The columns a person checks a match by: its time and the columns the query tested. */
function describe(record: TelemetryRecord, test: BackTest): string {
  const parts: string[] = [];
  const timestamp = record.columns['timestamp'];
  if (timestamp instanceof Date) parts.push(timestamp.toISOString());
  for (const column of test.columnsUsed) {
    if (column === 'timestamp') continue;
    const value = record.columns[column];
    parts.push(`${column}=${value === undefined ? '(none)' : typeof value === 'string' ? value : boundedStringify(value, { maxChars: 300 })}`);
  }
  return parts.join('\t');
}

function renderDecision(simulator: AlertSimulator, bucket: Parameters<AlertSimulator['apply']>[0], source: Source, io: CliIo): void {
  const decision = simulator.apply(bucket, { ref: source.ref, etag: 'back-test' });
  io.out(`== ${source.label} [${decision.group}]: ${decision.decision}: ${decision.reason}`);
  if (!decision.email) return;
  io.out(`To: ${decision.email.to.join(', ')}`);
  io.out(`Subject: ${decision.email.subject}`);
  io.out('');
  io.out(decision.email.text);
}
