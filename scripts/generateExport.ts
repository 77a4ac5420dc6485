import { join } from 'node:path';
import { parseArgs } from 'node:util';

import {
  isTelemetryType,
  tableForType,
  TELEMETRY_TYPE_NAMES,
  type TelemetryType,
  typeForTable,
} from '../shared/core/export/telemetryTypes';
import {
  WORKSPACE_TABLE_NAMES,
  type WorkspaceTableName,
  workspaceTableNamed,
  workspaceTableOf,
} from '../shared/core/export/workspaceTables';
import { plural } from '../shared/core/plural';
import {
  DEMO_RESOURCE,
  exportBlobPath,
  folderSpanMs,
  successorBlobPlace,
  successorFolderWindow,
  type SuccessorFormat,
  writeExportBlob,
  writeSuccessorBlob,
} from './exportGenerator';
import { BYTE_SIZE_HELP, type ByteSize, formatByteSize, parseByteSize } from './generator/byteSize';
import { deriveSeed } from './generator/rng';

const USAGE = `usage: node dist/scripts/generateExport.js --out DIR [--format continuousExport|diagnosticSettings|dataExport]
         [--app A] [--ikey K] [--types Requests,Exceptions|AppRequests,AppTraces|all] [--bytes 1MB] [--blobs N]
         [--seed S] [--date 2024-03-05T13:00Z]

continuousExport (default): N blobs per type in the Continuous Export layout under DIR, one per minute
  from --date; each blob's rows have event times in the 5 minutes before its delivery time.
diagnosticSettings: N PT1H.json blobs per table, one per hour from --date's hour, under
  DIR/insights-logs-<table>/resourceId=/SUBSCRIPTIONS/.../y=/m=/d=/h=/m=00/ (rows by hour received,
  a few up to 48 h old).
dataExport: N PT05M.json blobs per table, one per five minutes from --date, under
  DIR/am-<table>/WorkspaceResourceId=/subscriptions/.../m=<mm>/ (rows by TimeGenerated).
--app names the Application Insights resource (the component, for the successor formats).
--types takes export types or workspace tables for any format (Requests = AppRequests).
--bytes is the size of each blob, which ends within one row of it; sizes are reported in its unit.
  ${BYTE_SIZE_HELP}; a bare number is bytes.
Same arguments, byte-identical output.`;

export const FORMATS = ['continuousExport', 'diagnosticSettings', 'dataExport'] as const;
export type ExportFormat = (typeof FORMATS)[number];

// NOTE: the exporter delivers a blob per minute per partition; rows in it were processed just before.
const BLOB_INTERVAL_MS = 60_000;
const EVENT_LEAD_MS = 5 * 60_000;

interface CliPlan {
  readonly format: ExportFormat;
  readonly out: string;
  readonly app: string;
  readonly ikey: string;
  readonly types: readonly TelemetryType[];
  /** Of each blob. */
  readonly size: ByteSize;
  readonly blobs: number;
  readonly seed: number | string;
  readonly date: Date;
}

/** Reads the command line, collecting every problem so one run reports them all. */
export function parseCli(argv: readonly string[]): { plan?: CliPlan; problems: string[] } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      out: { type: 'string' },
      format: { type: 'string', default: 'continuousExport' },
      app: { type: 'string', default: 'contoso-shop' },
      ikey: { type: 'string', default: '0f3c8a1e-5b7d-4c2a-9e61-2d4b8f0a7c33' },
      types: { type: 'string', default: 'all' },
      bytes: { type: 'string', default: '1MB' },
      blobs: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      date: { type: 'string', default: '2024-03-05T13:00Z' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const problems: string[] = [];
  if (values.help) return { problems: [] };
  if (!values.out) problems.push('--out DIR is required');
  const format = FORMATS.find((f) => f.toLowerCase() === (values.format ?? '').toLowerCase());
  if (format === undefined) problems.push(`--format: '${values.format}' is not one of ${FORMATS.join(', ')}`);
  const typeNames =
    values.types === 'all'
      ? TELEMETRY_TYPE_NAMES
      : (values.types ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean);
  const types: TelemetryType[] = [];
  for (const name of typeNames) {
    const type = typeNamed(name);
    if (type === undefined)
      problems.push(
        `--types: unknown type '${name}' (one of ${TELEMETRY_TYPE_NAMES.join(', ')}, a workspace table ${WORKSPACE_TABLE_NAMES.join(', ')}, or all)`,
      );
    else if (!types.includes(type)) types.push(type);
  }
  const size = parseByteSize(values.bytes ?? '');
  if (size === undefined || size.bytes <= 0)
    problems.push(`--bytes: '${values.bytes}' is not a size like 1MB, 100MB or 1GiB (${BYTE_SIZE_HELP})`);
  const blobs = Number(values.blobs);
  if (!Number.isInteger(blobs) || blobs < 1)
    problems.push(`--blobs: '${values.blobs}' is not a whole number of at least 1`);
  const date = new Date(values.date ?? '');
  if (Number.isNaN(date.getTime())) problems.push(`--date: '${values.date}' is not an ISO date like 2024-03-05T13:00Z`);
  const seedText = values.seed ?? '1';
  const seed = /^\d+$/.test(seedText) ? Number(seedText) : seedText;
  if (problems.length > 0 || !values.out || size === undefined || format === undefined) return { problems };
  return {
    plan: { format, out: values.out, app: values.app ?? '', ikey: values.ikey ?? '', types, size, blobs, seed, date },
    problems,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { plan, problems } = parsed;
  if (!plan) {
    if (problems.length > 0) console.error(problems.map((p) => `error: ${p}`).join('\n'));
    console.error(USAGE);
    return problems.length > 0 ? 2 : 0;
  }
  let totalBytes = 0;
  let totalRows = 0;
  if (plan.format !== 'continuousExport') {
    for (const table of plan.types.map((t) => workspaceTableOf(tableForType(t)))) {
      for (let i = 0; i < plan.blobs; i++) {
        const summary = await writeSuccessorFile(plan, plan.format, table, i);
        totalBytes += summary.bytes;
        totalRows += summary.rows;
      }
    }
  }
  for (const type of plan.format === 'continuousExport' ? plan.types : []) {
    for (let i = 0; i < plan.blobs; i++) {
      const depositedAt = new Date(plan.date.getTime() + i * BLOB_INTERVAL_MS);
      const blobName = exportBlobPath(plan.app, plan.ikey, type, depositedAt);
      const window = { start: new Date(depositedAt.getTime() - EVENT_LEAD_MS), end: depositedAt };
      const summary = await writeExportBlob(
        join(plan.out, blobName),
        type,
        plan.size.bytes,
        deriveSeed(plan.seed, type, i),
        { window },
      );
      totalBytes += summary.bytes;
      totalRows += summary.rows;
      console.log(`${blobName}\t${summary.rows} rows\t${formatByteSize(summary.bytes, plan.size.unit)}`);
    }
  }
  const blobs = plan.types.length * plan.blobs;
  console.log(
    `wrote ${blobs} ${plan.format} blob${blobs === 1 ? '' : 's'}, ${plural(totalRows, 'row')}, ` +
      `${formatByteSize(totalBytes, plan.size.unit)} (${totalBytes.toLocaleString('en-US')} bytes) under ${plan.out}`,
  );
  return 0;
}

/** An export type by its folder name, its classic table or its workspace table (`AppRequests` → Requests). */
function typeNamed(name: string): TelemetryType | undefined {
  if (isTelemetryType(name)) return name;
  const classic = typeForTable(name);
  if (classic !== undefined) return classic;
  const table = workspaceTableNamed(name);
  if (table !== undefined) return TELEMETRY_TYPE_NAMES.find((t) => workspaceTableOf(tableForType(t)) === table);
  return TELEMETRY_TYPE_NAMES.find((t) => t.toLowerCase() === name.toLowerCase());
}

async function writeSuccessorFile(plan: CliPlan, format: SuccessorFormat, table: WorkspaceTableName, i: number) {
  const window = successorFolderWindow(format, new Date(plan.date.getTime() + i * folderSpanMs(format)));
  const resource = { ...DEMO_RESOURCE, component: plan.app, instrumentationKey: plan.ikey };
  const place = successorBlobPlace(format, table, window.start, resource);
  const summary = await writeSuccessorBlob(
    join(plan.out, place.container, place.blobName),
    table,
    plan.size.bytes,
    deriveSeed(plan.seed, format, table, i),
    { format, resource, window },
  );
  console.log(
    `${place.container}/${place.blobName}\t${summary.rows} rows\t${formatByteSize(summary.bytes, plan.size.unit)}`,
  );
  return summary;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
