import type { WorkspaceTableName } from '../../shared/core/export/workspaceTables';

/** The two exports that replaced Continuous Export, as `npm run generate --format` names them. */
export type SuccessorFormat = 'diagnosticSettings' | 'dataExport';

/** The Application Insights resource (and its workspace) generated rows claim to come from. */
export interface SuccessorResource {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** The Application Insights component name (last segment of its resource id). */
  readonly component: string;
  /** The Log Analytics workspace a data export rule runs on. */
  readonly workspace: string;
  /** The workspace id: rows' `TenantId`. */
  readonly workspaceId: string;
  readonly instrumentationKey: string;
  /** The component's `ResourceGUID` (its classic appId). */
  readonly resourceGuid: string;
}

/** Not a real resource: the values `npm run generate` and the demo file samples under. */
export const DEMO_RESOURCE: SuccessorResource = {
  subscriptionId: '5b2f9c1e-0d4a-4e8b-9a67-3c1d2e4f5a6b',
  resourceGroup: 'contoso-prod',
  component: 'contoso-shop',
  workspace: 'contoso-logs',
  workspaceId: '8d1c7e2a-4b3f-4a9e-b6d5-1f0e2c3b4a59',
  instrumentationKey: '0f3c8a1e-5b7d-4c2a-9e61-2d4b8f0a7c33',
  resourceGuid: 'c7a4e1d2-9b3f-4e8a-a5c6-2d1f0e9b8a7c',
};

/** `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Insights/components/<name>`. */
export function componentResourceId(resource: SuccessorResource): string {
  return `/subscriptions/${resource.subscriptionId}/resourceGroups/${resource.resourceGroup}/providers/Microsoft.Insights/components/${resource.component}`;
}

export function workspaceResourceId(resource: SuccessorResource): string {
  return `/subscriptions/${resource.subscriptionId}/resourceGroups/${resource.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${resource.workspace}`;
}

/** Diagnostic settings name the container after the category, lower-cased: `insights-logs-apprequests`. */
export function diagnosticSettingsContainer(table: WorkspaceTableName): string {
  return `insights-logs-${table.toLowerCase()}`;
}

/**
 * Data export names it `am-` and the table (`am-AppRequests` in the docs); storage allows only
 * lower-case container names, so the container itself is `am-apprequests`.
 */
export function dataExportContainer(table: WorkspaceTableName): string {
  return `am-${table.toLowerCase()}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `resourceId=/SUBSCRIPTIONS/<SUB>/RESOURCEGROUPS/<RG>/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/<NAME>/
 * y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json`, relative to the container: one blob per hour received, the
 * resource id upper-cased as the archive writes it.
 */
export function diagnosticSettingsBlobPath(resource: SuccessorResource, hour: Date): string {
  const d = hour;
  return `resourceId=${componentResourceId(resource).toUpperCase()}/y=${d.getUTCFullYear()}/m=${pad(d.getUTCMonth() + 1)}/d=${pad(d.getUTCDate())}/h=${pad(d.getUTCHours())}/m=00/PT1H.json`;
}

/**
 * `WorkspaceResourceId=/subscriptions/.../workspaces/<ws>/y=/m=/d=/h=/m=<mm>/PT05M.json`: one folder per
 * five minutes of TimeGenerated; past 50,000 appends the export goes on in `PT05M_<n>.json`.
 * @param part - 0 for `PT05M.json`, n for `PT05M_<n>.json`
 */
export function dataExportBlobPath(resource: SuccessorResource, start: Date, part = 0): string {
  const d = start;
  const minute = Math.floor(d.getUTCMinutes() / 5) * 5;
  const file = part === 0 ? 'PT05M.json' : `PT05M_${part}.json`;
  return `WorkspaceResourceId=${workspaceResourceId(resource)}/y=${d.getUTCFullYear()}/m=${pad(d.getUTCMonth() + 1)}/d=${pad(d.getUTCDate())}/h=${pad(d.getUTCHours())}/m=${pad(minute)}/${file}`;
}

/** The period a successor blob's folder covers: an hour, or five minutes. */
export function folderSpanMs(format: SuccessorFormat): number {
  return format === 'diagnosticSettings' ? 3_600_000 : 300_000;
}
