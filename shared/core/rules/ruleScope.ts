import type { SuccessorFormat } from '../export/successorPath';
import type { TelemetryRecord } from '../export/telemetryRecord';

/**
 * Whether a rule's scope (its PartitionKey) covers a record of a successor export, by the Azure
 * resource the record belongs to: `*`, the full resource id, or its last segment (the Application
 * Insights component's name), all compared case-insensitively, since diagnostic settings upper-case
 * resource ids in blob paths. Data export puts many resources in one workspace, so each record's own
 * `_ResourceId` decides, not the blob.
 */
export function scopeCoversResource(scope: string, resourceId: string | undefined): boolean {
  if (scope === '*') return true;
  if (resourceId === undefined || resourceId === '') return false;
  const wanted = trimSlashes(scope.toLowerCase());
  const id = trimSlashes(resourceId.toLowerCase());
  if (scope.includes('/')) return wanted === id;
  return id.slice(id.lastIndexOf('/') + 1) === wanted;
}

function trimSlashes(text: string): string {
  return text.replace(/^\/+|\/+$/g, '');
}

/**
 * The resource a successor-format record belongs to: its own `_ResourceId`, else (diagnostic settings
 * hold one resource per blob) the resource id in the blob's path.
 */
export function resourceOfRecord(
  record: TelemetryRecord,
  blob: { readonly format: SuccessorFormat | undefined; readonly resourceId: string | undefined },
): string | undefined {
  const id = record.columns['_ResourceId'];
  return typeof id === 'string' && id !== '' ? id : blob.format === 'diagnosticSettings' ? blob.resourceId : undefined;
}
