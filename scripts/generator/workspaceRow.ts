import { typeForTable } from '../../shared/core/export/telemetryTypes';
import { toRecords } from '../../shared/core/export/toRecords';
import { classicTableOf, type WorkspaceTableName } from '../../shared/core/export/workspaceTables';
import type { TimeWindow } from './context';
import { generateDocument } from './generateDocument';
import { createRng, deriveSeed, type Rng } from './rng';
import { componentResourceId, type SuccessorFormat, type SuccessorResource } from './successorLayout';
import { workspaceColumnOf } from './workspaceColumns';

/** What a workspace-row injector may change: the row, in place, before it is written. */
export interface WorkspaceInjectTarget {
  readonly table: WorkspaceTableName;
  /** 0-based row index within the blob. */
  readonly index: number;
  readonly row: Record<string, unknown>;
  /** Derived from the row index, so drawing from it leaves every other row unchanged. */
  readonly rng: Rng;
}

export type WorkspaceInjector = (row: WorkspaceInjectTarget) => void;
export type WorkspaceInjection =
  WorkspaceInjector | { readonly rate: number; readonly seed?: number; readonly apply: WorkspaceInjector };

export interface GeneratedRows {
  readonly rows: Record<string, unknown>[];
  /** How many of them `inject` was applied to. */
  readonly injected: number;
}

export interface WorkspaceRowOptions {
  readonly format: SuccessorFormat;
  readonly resource: SuccessorResource;
  /** Diagnostic settings: the hour received; data export: the five minutes of TimeGenerated. */
  readonly window: TimeWindow;
  /**
   * Diagnostic settings file rows by the time received, so a few carry telemetry up to 48 h older
   * than the blob's hour (resource-logs.md); default 0.01. Data export files by TimeGenerated: none.
   */
  readonly staleShare?: number;
  readonly sampledShare?: number;
  readonly inject?: WorkspaceInjection;
  /** Row index of the first row these calls make (handed to `inject`). */
  readonly index?: number;
}

const STALE_MS = 48 * 3_600_000;
const BROWSER_SDK = 'javascript:3.1.2';
const SERVER_SDKS = ['dotnetc:2.22.0-997', 'azurefunctions: 4.1040.300.25317', 'node:2.9.5'] as const;

/**
 * The rows one generated telemetry item becomes in `table`: usually one, several for a metrics row
 * holding several metrics. Drawn from the classic generator (same vocabulary, same shapes), then
 * renamed to workspace columns and laid out as each exporter writes it: diagnostic settings with
 * `time`, upper-cased `resourceId` and empty columns left out; data export with `TenantId`,
 * `TimeGenerated`, `_ResourceId` and the workspace's system columns.
 */
export function generateWorkspaceRows(
  table: WorkspaceTableName,
  rng: Rng,
  options: WorkspaceRowOptions,
): GeneratedRows {
  const type = typeForTable(classicTableOf(table));
  if (type === undefined) throw new RangeError(`no export type for table ${table}`);
  const stale = options.format === 'diagnosticSettings' && rng.chance(options.staleShare ?? 0.01);
  const start = options.window.start.getTime();
  const window = stale ? { start: new Date(start - STALE_MS), end: options.window.start } : options.window;
  const document = generateDocument(type, rng, {
    window,
    ...(options.sampledShare === undefined ? {} : { sampledShare: options.sampledShare }),
  }).document;
  const eventTime = sevenDigits((document.context as { data: { eventTime: string } }).data.eventTime);
  const records = toRecords(document, { telemetryType: type });
  if (!records.ok) throw new Error(`generated ${type} row does not read back: ${records.error}`);

  let injected = 0;
  const rows = records.value.map((record, i) => {
    const own: Record<string, unknown> = {};
    for (const [classic, value] of Object.entries(record.columns)) {
      const name = workspaceColumnOf(table, classic);
      if (name === null || value === undefined) continue;
      // NOTE: the archive leaves empty columns out rather than writing null (New Relic test data);
      // data export writes table rows, which keep them.
      if (options.format === 'diagnosticSettings' && (value === null || value === '')) continue;
      own[name] = value;
    }
    const server = own.ClientType !== 'Browser';
    own.SDKVersion ??= server ? rng.pick(SERVER_SDKS) : BROWSER_SDK;
    const row =
      options.format === 'diagnosticSettings'
        ? diagnosticSettingsRow(table, eventTime, own, options.resource)
        : dataExportRow(table, eventTime, own, options.resource);
    if (applyInjection(options.inject, table, (options.index ?? 0) + i, row)) injected++;
    return row;
  });
  return { rows, injected };
}

// The order of the archive's records (New Relic test data): identity first, then shared, then own columns.
const LEADING = [
  'AppRoleInstance',
  'AppRoleName',
  'AppVersion',
  'ClientBrowser',
  'ClientCity',
  'ClientCountryOrRegion',
  'ClientIP',
  'ClientModel',
  'ClientOS',
  'ClientStateOrProvince',
  'ClientType',
] as const;
const OPERATION = [
  'OperationName',
  'OperationId',
  'ParentId',
  'SyntheticSource',
  'SessionId',
  'UserId',
  'UserAuthenticatedId',
  'UserAccountId',
  'SDKVersion',
  'Properties',
  'Measurements',
] as const;

function ordered(
  own: Record<string, unknown>,
  head: Record<string, unknown>,
  middle: Record<string, unknown>,
): Record<string, unknown> {
  const row: Record<string, unknown> = { ...head };
  for (const key of LEADING) if (key in own) row[key] = own[key];
  Object.assign(row, middle);
  for (const key of OPERATION) if (key in own) row[key] = own[key];
  for (const [key, value] of Object.entries(own)) if (!(key in row)) row[key] = value;
  return row;
}

function diagnosticSettingsRow(
  table: WorkspaceTableName,
  time: string,
  own: Record<string, unknown>,
  resource: SuccessorResource,
): Record<string, unknown> {
  const head = {
    time,
    resourceId: componentResourceId(resource).toUpperCase(),
    ResourceGUID: resource.resourceGuid,
    Type: table,
  };
  const row = ordered(own, head, { IKey: resource.instrumentationKey, _BilledSize: 0 });
  row._BilledSize = billedSize(row);
  return row;
}

function dataExportRow(
  table: WorkspaceTableName,
  time: string,
  own: Record<string, unknown>,
  resource: SuccessorResource,
): Record<string, unknown> {
  const head = { TenantId: resource.workspaceId, TimeGenerated: time };
  const row = ordered(own, head, { IKey: resource.instrumentationKey, ResourceGUID: resource.resourceGuid });
  Object.assign(row, {
    SourceSystem: 'Azure',
    Type: table,
    _BilledSize: 0,
    _ResourceId: componentResourceId(resource).toLowerCase(),
    _SubscriptionId: resource.subscriptionId,
    _IsBillable: 'True',
  });
  row._BilledSize = billedSize(row);
  return row;
}

/** Roughly what Log Analytics bills: the row's size as JSON. */
function billedSize(row: Record<string, unknown>): number {
  return Buffer.byteLength(JSON.stringify(row));
}

/** Workspace times carry all seven fractional digits: `2021-05-04T22:01:10.9400000Z`. */
function sevenDigits(iso: string): string {
  const match = /^(.{19})(?:\.(\d{1,7}))?Z$/.exec(iso);
  if (!match) return iso;
  return `${match[1]}.${(match[2] ?? '').padEnd(7, '0')}Z`;
}

function applyInjection(
  inject: WorkspaceInjection | undefined,
  table: WorkspaceTableName,
  index: number,
  row: Record<string, unknown>,
): boolean {
  if (inject === undefined) return false;
  const apply = typeof inject === 'function' ? inject : inject.apply;
  if (typeof inject !== 'function' && createRng(deriveSeed(inject.seed ?? 0x5eed, index)).next() >= inject.rate)
    return false;
  apply({ table, index, row, rng: createRng(deriveSeed('inject', index)) });
  return true;
}
