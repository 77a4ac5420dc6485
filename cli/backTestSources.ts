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
import { cliEnvironment, cliStorage } from './cliSettings';
import { parseMinutes } from './durationOption';
import { listLocalExportFiles, type Placement, UsageError } from './localExportFiles';

/** One blob or file a back-test reads. */
export interface BackTestSource {
  readonly label: string;
  /** The classic table its records carry, whichever schema the blob is in. */
  readonly table: TableName;
  /** Where the blob sits, for the back-test's clock; a successor blob's period stands in for the hour. */
  readonly ref: ExportBlobRef;
  /** Set for a successor-format blob, whose records each name their resource (rule scopes go by it). */
  readonly successor?: { readonly format: SuccessorFormat | undefined; readonly resourceId: string | undefined };
  /**
   * The source's records; with `prefilter`, the queries of the rules that will read them, only rows
   * one of them could match are parsed (the rest are counted in `stats.rowsSeen`).
   */
  read(onBadRow: (problem: RowProblem) => void, prefilter?: readonly string[]): Promise<RecordStream>;
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

export async function localSources(paths: readonly string[], placement: Placement): Promise<BackTestSource[]> {
  const files = await listLocalExportFiles(paths, placement);
  const unplaced = files.find((f) => !f.ref && !f.successor);
  if (unplaced) throw new UsageError(`${unplaced.file}: ${unplaced.reason ?? 'not an export file'}`);
  return files.map((f) => {
    const open = async () => createReadStream(f.file);
    if (f.successor === undefined) return ceSource(f.file, defined(f.ref, `the export path of ${f.file}`), open);
    const period = f.successor.ref ?? { periodStart: new Date(0), componentName: 'local' };
    return successorSource(f.file, { blobName: f.file, table: f.successor.table }, period, open, {
      format: f.successor.format,
      resourceId: f.successor.ref?.resourceId,
    });
  });
}

export async function storageSources(
  container: string,
  prefix: string | undefined,
  since: string | undefined,
  connection: string | undefined,
): Promise<BackTestSource[]> {
  const connectionString = connection ?? cliStorage(undefined, cliEnvironment()).config.exportConnection;
  if (!connectionString)
    throw new UsageError('no storage connection: set EXPORT_STORAGE or AzureWebJobsStorage, or pass --connection');
  const after = since === undefined ? undefined : Date.now() - parseMinutes('--since', since) * 60_000;
  const client = blobServiceClientFrom(connectionString).getContainerClient(container);
  const successor = successorContainerTable(container) !== undefined;
  const sources: BackTestSource[] = [];
  for await (const blob of client.listBlobsFlat(prefix === undefined ? {} : { prefix })) {
    const label = `${container}/${blob.name}`;
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
      sources.push(successorSource(label, { blobName: blob.name, table: ref.value.table }, ref.value, open, ref.value));
      continue;
    }
    const ref = parseExportPath(blob.name);
    if (!ref.ok || (after !== undefined && ref.value.depositedAt.getTime() + 3_600_000 <= after)) continue;
    sources.push(ceSource(label, ref.value, open));
  }
  return sources;
}

function ceSource(label: string, ref: ExportBlobRef, open: () => Promise<NodeJS.ReadableStream>): BackTestSource {
  return {
    label,
    ref,
    table: tableForType(ref.telemetryType),
    read: async (onBadRow, prefilter) =>
      readExportRecords(ref, await open(), { onBadRow, ...filterOption(prefilter, 'continuousExport') }),
  };
}

function successorSource(
  label: string,
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
    ref,
    table,
    successor: { format: resource.format, resourceId: resource.resourceId },
    read: async (onBadRow, prefilter) =>
      readWorkspaceRecords(blob, await open(), { onBadRow, ...filterOption(prefilter, 'workspace') }),
  };
}

function filterOption(queries: readonly string[] | undefined, format: RawFormat) {
  const filter = queries === undefined ? undefined : rowPrefilterOf(queries, format);
  return filter === undefined ? {} : { filter };
}
