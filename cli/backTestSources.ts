import { createReadStream } from 'node:fs';

import { blobServiceClientFrom } from '../shared/adapters/storage/clients';
import { defined } from '../shared/core/defined';
import { InvariantError } from '../shared/core/errors';
import type { ExportBlobRef } from '../shared/core/export/parseExportPath';
import { parseExportPath } from '../shared/core/export/parseExportPath';
import { readExportRecords, type RecordStream } from '../shared/core/export/readExportRecords';
import type { RowProblem } from '../shared/core/export/readExportRows';
import {
  parseSuccessorPath,
  type SuccessorBlobRef,
  successorContainerTable,
  type SuccessorFormat,
} from '../shared/core/export/successorPath';
import type { TelemetryRecord } from '../shared/core/export/telemetryRecord';
import { tableForType, type TableName, typeForTable } from '../shared/core/export/telemetryTypes';
import { readWorkspaceRecords, type WorkspaceBlobRef } from '../shared/core/export/workspace/readWorkspaceRecords';
import { classicTableOf } from '../shared/core/export/workspaceTables';
import type { AlertRule } from '../shared/core/rules/alertRule';
import type { RawFormat } from '../shared/core/rules/prefilter/rawFilter';
import { rowPrefilterOf } from '../shared/core/rules/prefilter/rowPrefilter';
import { selectRules } from '../shared/core/rules/ruleCatalog';
import { resourceOfRecord, scopeCoversResource } from '../shared/core/rules/ruleScope';
import type { CliContext } from './cliContext';
import { cliStorage } from './cliSettings';
import { parseMinutes } from './durationOption';
import { listLocalExportFiles, type LocalExportFile, type Placement, UsageError } from './localExportFiles';

/** One blob or file a back-test reads. */
export interface BackTestSource {
  readonly label: string;
  /** Its size when listed. */
  readonly bytes: number;
  /** The classic table its records carry, whichever schema the blob is in. */
  readonly table: TableName;
  /** Where the blob sits, for the back-test's clock; a successor blob's period stands in for the hour. */
  readonly ref: ExportBlobRef;
  /** Set for a successor-format blob, whose records each name their resource (rule scopes go by it). */
  readonly successor?: { readonly format: SuccessorFormat | undefined; readonly resourceId: string | undefined };
  /** The source's records. */
  read(options: ReadSourceOptions): Promise<RecordStream>;
}

export interface ReadSourceOptions {
  readonly onBadRow: (problem: RowProblem) => void;
  /**
   * The queries of the rules that will read the records: only rows one of them could match are parsed
   * (the rest are counted in `stats.rowsSeen`).
   */
  readonly prefilter?: readonly string[];
  /** Told the size of each piece of the blob as it is read, for progress. */
  readonly onBytes?: (bytes: number) => void;
}

/**
 * Which records of a source a rule watches, as the functions decide it: a Continuous Export blob by
 * its folder or app name (`selectRules`), a successor record by its own resource (`scopeCoversResource`
 * on `_ResourceId`, else the diagnostic setting's path). Undefined: none of them.
 */
export function scopeOfRule(
  rule: AlertRule,
  source: BackTestSource,
): ((record: TelemetryRecord) => boolean) | undefined {
  if (rule.table !== source.table) return undefined;
  const { successor } = source;
  if (successor === undefined)
    return selectRules([{ ...rule, enabled: true }], source.ref).length > 0 ? () => true : undefined;
  if (rule.scope === '*') return () => true;
  return (record) => scopeCoversResource(rule.scope, resourceOfRecord(record, successor));
}

/** The export files under local paths, and the files that are none, each with the reason. */
export async function localSources(
  paths: readonly string[],
  placement: Placement,
): Promise<{ sources: BackTestSource[]; skipped: LocalExportFile[] }> {
  const files = await listLocalExportFiles(paths, placement);
  const sources: BackTestSource[] = [];
  const skipped: LocalExportFile[] = [];
  for (const f of files) {
    const open = async () => createReadStream(f.file);
    if (f.successor !== undefined) {
      const period = f.successor.ref ?? { periodStart: new Date(0), componentName: 'local' };
      const blob = { blobName: f.file, table: f.successor.table };
      const resource = { format: f.successor.format, resourceId: f.successor.ref?.resourceId };
      sources.push(successorSource(f.file, f.bytes, blob, period, open, resource));
    } else if (f.ref !== undefined) sources.push(ceSource(f.file, f.bytes, f.ref, open));
    else skipped.push(f);
  }
  return { sources, skipped };
}

export async function storageSources(
  container: string,
  prefix: string | undefined,
  since: string | undefined,
  connection: string | undefined,
  { env, now }: Pick<CliContext, 'env' | 'now'>,
): Promise<BackTestSource[]> {
  const connectionString = connection ?? cliStorage(undefined, env).config.exportConnection;
  if (!connectionString)
    throw new UsageError('no storage connection: set EXPORT_STORAGE or AzureWebJobsStorage, or pass --connection');
  const after = since === undefined ? undefined : now().getTime() - parseMinutes('--since', since) * 60_000;
  const client = blobServiceClientFrom(connectionString).getContainerClient(container);
  const successor = successorContainerTable(container) !== undefined;
  const sources: BackTestSource[] = [];
  for await (const blob of client.listBlobsFlat(prefix === undefined ? {} : { prefix })) {
    const label = `${container}/${blob.name}`;
    const bytes = blob.properties.contentLength ?? 0;
    const open = async () => {
      const download = await client.getBlobClient(blob.name).download();
      if (!download.readableStreamBody)
        throw new InvariantError(`blob ${container}/${blob.name} has no content stream`);
      return download.readableStreamBody;
    };
    if (successor) {
      const ref = parseSuccessorPath(container, blob.name);
      // A period folder is kept when any of it falls inside --since.
      if (
        !ref.ok ||
        (after !== undefined && ref.value.periodStart.getTime() + ref.value.periodMinutes * 60_000 <= after)
      )
        continue;
      const place = { blobName: blob.name, table: ref.value.table };
      sources.push(successorSource(label, bytes, place, ref.value, open, ref.value));
      continue;
    }
    const ref = parseExportPath(blob.name);
    if (!ref.ok || (after !== undefined && ref.value.depositedAt.getTime() + 3_600_000 <= after)) continue;
    sources.push(ceSource(label, bytes, ref.value, open));
  }
  return sources;
}

function ceSource(
  label: string,
  bytes: number,
  ref: ExportBlobRef,
  open: () => Promise<NodeJS.ReadableStream>,
): BackTestSource {
  return {
    label,
    bytes,
    ref,
    table: tableForType(ref.telemetryType),
    read: async ({ onBadRow, prefilter, onBytes }) =>
      readExportRecords(ref, counted(await open(), onBytes), {
        onBadRow,
        ...filterOption(prefilter, 'continuousExport'),
      }),
  };
}

function successorSource(
  label: string,
  bytes: number,
  blob: WorkspaceBlobRef,
  period: Pick<SuccessorBlobRef, 'periodStart' | 'componentName'>,
  open: () => Promise<NodeJS.ReadableStream>,
  resource: { readonly format: SuccessorFormat | undefined; readonly resourceId: string | undefined },
): BackTestSource {
  const table = classicTableOf(blob.table);
  const ref: ExportBlobRef = {
    blobName: blob.blobName,
    folder: period.componentName ?? 'workspace',
    appName: period.componentName ?? 'workspace',
    instrumentationKey: '',
    telemetryType: defined(typeForTable(table), `the telemetry type of table ${table}`),
    depositedAt: period.periodStart,
    fileName: blob.blobName.split('/').pop() ?? blob.blobName,
  };
  return {
    label,
    bytes,
    ref,
    table,
    successor: { format: resource.format, resourceId: resource.resourceId },
    read: async ({ onBadRow, prefilter, onBytes }) =>
      readWorkspaceRecords(blob, counted(await open(), onBytes), { onBadRow, ...filterOption(prefilter, 'workspace') }),
  };
}

/** The stream, telling `onBytes` the size of each piece that passes. */
function counted(
  stream: NodeJS.ReadableStream,
  onBytes: ((bytes: number) => void) | undefined,
): AsyncIterable<Uint8Array | string> {
  if (onBytes === undefined) return stream;
  return (async function* () {
    for await (const piece of stream) {
      onBytes(typeof piece === 'string' ? Buffer.byteLength(piece) : piece.byteLength);
      yield piece;
    }
  })();
}

function filterOption(queries: readonly string[] | undefined, format: RawFormat) {
  const filter = queries === undefined ? undefined : rowPrefilterOf(queries, format);
  return filter === undefined ? {} : { filter };
}
