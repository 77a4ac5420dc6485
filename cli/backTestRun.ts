import { groupLabelOf } from '../shared/core/alerts/alertEmailFor';
import { MatchCollector } from '../shared/core/alerts/matchCollector';
import { AlertSimulator, depositTimeOf, type SimulatedDecision } from '../shared/core/alerts/simulateAlerts';
import type { TelemetryRecord } from '../shared/core/export/telemetryRecord';
import { boundedStringify } from '../shared/core/json/boundedStringify';
import type { NoticeSettings } from '../shared/core/mail/noticeSettings';
import { plural } from '../shared/core/plural';
import type { AlertRule } from '../shared/core/rules/alertRule';
import { type BackTestSource, scopeOfRule } from './backTestSources';
import type { CliContext } from './cliContext';
import { type CliIo, processIo } from './cliIo';
import { HtmlEmailFiles } from './htmlEmailFiles';
import { ProgressDisplay } from './progress';
import { recordJson } from './recordJson';

/** Malformed rows printed in one run; the rest are counted, so a folder of foreign files cannot flood the terminal. */
export const MALFORMED_ROWS_SHOWN = 20;

/** One rule of a back-test, with what it has read and matched so far. */
export interface BackTest {
  readonly rule: AlertRule;
  /** `scope/id`, as a rules file's output names it. */
  readonly name: string;
  records: number;
  matches: number;
}

/** A source to read, with the rules that read it and the records each of them watches. */
export interface PlannedSource {
  readonly source: BackTestSource;
  readonly active: readonly { readonly test: BackTest; readonly inScope: (record: TelemetryRecord) => boolean }[];
}

/**
 * The sources the rules read: those of their tables, and when `scoped`, of their scopes as deployed
 * (a Continuous Export blob by its folder; a successor blob is read and scoped record by record).
 */
export function planBackTest(
  tests: readonly BackTest[],
  sources: readonly BackTestSource[],
  scoped: boolean,
): { readonly planned: PlannedSource[]; readonly otherTables: number; readonly otherScopes: number } {
  const tables = new Set(tests.map((t) => t.rule.table));
  const ofTables = sources.filter((s) => tables.has(s.table));
  const planned = ofTables.flatMap((source): PlannedSource[] => {
    const active = tests.flatMap((test) => {
      const inScope = scoped
        ? scopeOfRule(test.rule, source)
        : test.rule.table === source.table
          ? () => true
          : undefined;
      return inScope === undefined ? [] : [{ test, inScope }];
    });
    return active.length > 0 ? [{ source, active }] : [];
  });
  return {
    planned,
    otherTables: sources.length - ofTables.length,
    otherScopes: ofTables.length - planned.length,
  };
}

export interface BackTestRunOptions {
  readonly json: boolean;
  readonly render: boolean;
  /** Several rules: each match is tagged with its rule, and each blob counts rule matches. */
  readonly fromFile: boolean;
  /** Skip the rows no rule could match unread, as the functions do. */
  readonly prefilter: boolean;
  readonly mailFrom: string;
  /** The e-mails' time zone and resource ids for links, from the app's settings. */
  readonly notice?: NoticeSettings;
  /** With `render`: also write each e-mail's HTML into this folder (`--html`). */
  readonly htmlDir?: string;
}

/** What a back-test went through, for its summary. */
export interface BackTestTotals {
  blobs: number;
  records: number;
  matches: number;
  badRows: number;
  rowsSeen: number;
  rowsParsed: number;
  /** Records of successor blobs that no rule's scope covers. */
  otherScopeRecords: number;
}

/**
 * Reads each planned source and runs its rules on its records: prints each match (a line, a JSON line,
 * or with `render` the e-mails the rules would send) and a line per blob, shows progress on stderr, and
 * prints the first MALFORMED_ROWS_SHOWN malformed rows and how many more there were.
 */
export async function runBackTest(
  planned: readonly PlannedSource[],
  options: BackTestRunOptions,
  ctx: Pick<CliContext, 'io' | 'now' | 'interactive'>,
): Promise<BackTestTotals> {
  // NOTE: only the process's own stdout can be asked whether it is a terminal; any other is taken to share it.
  const stdoutShared = ctx.io !== processIo || process.stdout.isTTY === true;
  const progress = new ProgressDisplay({ ...ctx, stdoutShared });
  const { io } = progress;
  const counts = {
    blobsDone: 0,
    blobsTotal: planned.length,
    bytesDone: 0,
    bytesTotal: planned.reduce((sum, p) => sum + p.source.bytes, 0),
    matches: 0,
  };
  const totals: BackTestTotals = {
    blobs: 0,
    records: 0,
    matches: 0,
    badRows: 0,
    rowsSeen: 0,
    rowsParsed: 0,
    otherScopeRecords: 0,
  };
  const simulator = new AlertSimulator(options.mailFrom, options.notice);
  const htmlFiles = options.htmlDir === undefined ? undefined : new HtmlEmailFiles(options.htmlDir);
  // What ago() and now() in a query count from: one reading of the clock for the whole back-test.
  const evaluatedAt = ctx.now().getTime();
  let malformed = 0;
  for (const { source, active } of planned) {
    const records = await source.read({
      onBadRow: (p) => {
        if (++malformed <= MALFORMED_ROWS_SHOWN) io.err(`${source.label}:${p.line}: ${p.reason}`);
      },
      ...(options.prefilter ? { prefilter: active.map(({ test }) => test.rule.query) } : {}),
      onBytes: (bytes) => {
        counts.bytesDone += bytes;
        progress.update(counts);
      },
    });
    const collector = new MatchCollector(
      active.map(({ test, inScope }) => ({
        ...test.rule,
        matches: (r: TelemetryRecord, at: number) => inScope(r) && test.rule.matches(r, at),
      })),
      depositTimeOf(source.ref),
      evaluatedAt,
    );
    const perRule = new Map<BackTest, number>();
    let matches = 0;
    let otherScope = 0;
    for await (const record of records) {
      let covered = false;
      let matched = false;
      for (const { test, inScope } of active) {
        if (!inScope(record)) continue;
        covered = true;
        test.records++;
        if (!test.rule.matches(record, evaluatedAt)) continue;
        test.matches++;
        matches++;
        counts.matches++;
        matched = true;
        perRule.set(test, (perRule.get(test) ?? 0) + 1);
        if (options.render) continue;
        if (options.json)
          io.out(recordJson(options.fromFile ? { rule: test.name, ...record.columns } : record.columns));
        else
          io.out(
            `${source.label}:${record.line ?? '?'}\t${options.fromFile ? `${test.name}\t` : ''}${describe(record, test.rule)}`,
          );
      }
      if (!covered) otherScope++;
      if (matched && options.render) collector.add(record);
    }
    if (options.render) {
      for (const bucket of collector.all()) {
        const decision = renderDecision(simulator, bucket, source, io, options.fromFile);
        if (decision.email && htmlFiles) {
          io.out(`HTML: ${await htmlFiles.write(decision.email, decision.rule, groupLabelOf(bucket))}`);
        }
      }
    }
    totals.blobs++;
    totals.records += records.stats.records;
    totals.badRows += records.stats.badRows;
    totals.matches += matches;
    totals.rowsSeen += records.stats.rowsSeen;
    totals.rowsParsed += records.stats.rowsParsed;
    totals.otherScopeRecords += otherScope;
    const breakdown =
      options.fromFile && perRule.size > 0 ? ` (${[...perRule].map(([t, n]) => `${t.name} ${n}`).join(', ')})` : '';
    const skipped = otherScope > 0 ? `, ${plural(otherScope, 'record')} of other scopes skipped` : '';
    // With several rules one record can match more than once: a file counts rule matches.
    const of = countedOf(records.stats);
    (options.json ? io.err : io.out)(
      options.fromFile
        ? `${source.label}: ${of}, ${plural(matches, 'rule match', 'rule matches')}${breakdown}${skipped}`
        : `${source.label}: ${plural(matches, 'match', 'matches')} of ${of}${skipped}`,
    );
    counts.blobsDone++;
    progress.update(counts);
  }
  progress.finish();
  if (malformed > MALFORMED_ROWS_SHOWN) {
    io.err(`… ${plural(malformed - MALFORMED_ROWS_SHOWN, 'more malformed row', 'more malformed rows')} not shown`);
  }
  return totals;
}

/**
 * What a back-test went through: its records, or when the prefilter skipped rows, which were never
 * records, the rows seen and parsed.
 */
export function countedOf(s: {
  readonly rowsSeen: number;
  readonly rowsParsed: number;
  readonly records: number;
}): string {
  return s.rowsParsed < s.rowsSeen
    ? `${plural(s.rowsSeen, 'row')} (${s.rowsParsed} parsed, the others no rule could match; --validate reads every row)`
    : plural(s.records, 'record');
}

/** The columns a person checks a match by: its time and the columns the query tested. */
function describe(record: TelemetryRecord, rule: AlertRule): string {
  const parts: string[] = [];
  const timestamp = record.columns['timestamp'];
  if (timestamp instanceof Date) parts.push(timestamp.toISOString());
  for (const column of rule.columnsUsed) {
    if (column === 'timestamp') continue;
    const value = record.columns[column];
    parts.push(
      `${column}=${value === undefined ? '(none)' : typeof value === 'string' ? value : boundedStringify(value, { maxChars: 300 })}`,
    );
  }
  return parts.join('\t');
}

function renderDecision(
  simulator: AlertSimulator,
  bucket: Parameters<AlertSimulator['apply']>[0],
  source: BackTestSource,
  io: CliIo,
  nameRule: boolean,
): SimulatedDecision {
  const decision = simulator.apply(bucket, { ref: source.ref, etag: 'back-test' });
  io.out(
    `== ${source.label}${nameRule ? ` ${decision.rule}` : ''} [${decision.group}]: ${decision.decision}: ${decision.reason}`,
  );
  if (!decision.email) return decision;
  io.out(`To: ${decision.email.to.join(', ')}`);
  io.out(`Subject: ${decision.email.subject}`);
  io.out('');
  io.out(decision.email.text);
  return decision;
}
