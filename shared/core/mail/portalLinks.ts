import { gzipSync } from 'node:zlib';

import type { TableName } from '../export/telemetryTypes';

// Links into the Azure portal. Only what the app itself vouches for becomes part of a link target: an
// Application Insights resource id that passed COMPONENT_ID (from settings, the rule or a record's
// `_ResourceId`), the rule's query, times the app formats, and ids that passed ITEM_ID. Every other
// value (telemetry above all) is text, never a link.
//
// Formats, with their sources:
// - Logs with a query: `https://portal.azure.com/#blade/Microsoft_Azure_Monitoring_Logs/LogsBlade/
//   resourceId/<url-encoded resource id>/source/LogsBlade.AnalyticsShareLinkToQuery/q/<url-encoded
//   base64 of the gzipped query>/timespan/<url-encoded ISO 8601 start/end>`. The `resourceId/…/source/
//   LogsBlade.AnalyticsShareLinkToQuery/q/…` form, with the query "zipped and Base64 encoded", is
//   Microsoft's own sample (repository microsoft/BCTech, samples/AppInsights/HTML/README.md); the
//   `/timespan/<start>%2f<end>` segment is the one Azure Monitor's log alerts put in their
//   LinkToSearchResults (MicrosoftDocs/azure-monitor-docs, articles/azure-monitor/alerts/
//   alerts-non-common-schema-definitions.md, "Log alerts"). Gzip + base64 is also the documented
//   compression of Kusto's own deep links ("UI deep links", learn.microsoft.com/azure/data-explorer/
//   kusto/api/rest/deeplink: the query may be "the base64 encoding of the gzip" of its text).
// - The end-to-end transaction of one item: `https://portal.azure.com/#blade/AppInsightsExtension/
//   DetailsV2Blade/DataModel/<url-encoded {"eventId":itemId,"timestamp":ISO,"eventTable":table}>/
//   ComponentId/<url-encoded {"Name","ResourceGroup","SubscriptionId"}>`: the link the portal's
//   transaction view copies, as taken apart in noxi515.hateblo.jp/entry/2020/09/22/045614 and built by
//   public alert rules in Terraform (`DetailsV2Blade/DataModel/` + url_encode of eventId and timestamp).
//   Microsoft documents no stable format for it; the portal opens it for an item the resource holds.
// NOTE: no `#@<tenant>` part: the tenant is not known here, so the portal opens the user's current
// directory (switch directory once if the resource lives in another).

const PORTAL = 'https://portal.azure.com/#blade/';

/**
 * An Application Insights resource id, strictly: a subscription GUID, a resource group and a component
 * name of the characters Azure allows them (letters, digits, `.`, `_`, `-`, `(`, `)`; no trailing `.`).
 * Diagnostic settings write resource ids upper-cased, so the fixed segments match in any case.
 */
const COMPONENT_ID =
  /^\/subscriptions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/resourcegroups\/([A-Za-z0-9._()-]{0,89}[A-Za-z0-9_()-])\/providers\/microsoft\.insights\/components\/([A-Za-z0-9._()-]{0,259}[A-Za-z0-9_()-])$/i;

/** A telemetry item or operation id: a GUID, or 8 to 64 hex digits (W3C trace ids are 32). */
const ITEM_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{8,64})$/i;

/** Tables whose items the portal's end-to-end transaction view opens. */
const TRANSACTION_TABLES: ReadonlySet<TableName> = new Set([
  'requests',
  'dependencies',
  'exceptions',
  'traces',
  'customEvents',
  'pageViews',
  'availabilityResults',
]);

/** Tables an operation's telemetry is found in, for the operation link. */
const OPERATION_QUERY_TABLES =
  'requests, dependencies, exceptions, traces, customEvents, pageViews, availabilityResults';

/** An Application Insights component, from a resource id that passed the strict pattern. */
export interface ComponentRef {
  /** `/subscriptions/<guid>/resourceGroups/<group>/providers/microsoft.insights/components/<name>`. */
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

/** The component a resource id names, or undefined when it is anything but a valid component id. */
export function componentOf(resourceId: unknown): ComponentRef | undefined {
  if (typeof resourceId !== 'string' || resourceId.length > 600) return undefined;
  const match = COMPONENT_ID.exec(resourceId.trim());
  if (match === null) return undefined;
  const [, subscription = '', resourceGroup = '', name = ''] = match;
  const subscriptionId = subscription.toLowerCase();
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/microsoft.insights/components/${name}`,
    subscriptionId,
    resourceGroup,
    name,
  };
}

/** Whether a value is an item or operation id the app puts in a link. */
export function isItemId(value: unknown): value is string {
  return typeof value === 'string' && ITEM_ID.test(value);
}

/**
 * "Open in Log Analytics": the rule's query on the resource, over `from`–`to`.
 * @param query - the rule's query as written (its author's text; compressed, never interpreted)
 */
export function logsQueryLink(component: ComponentRef, query: string, from: Date, to: Date): string {
  const q = gzipSync(Buffer.from(query, 'utf8'), { level: 9 });
  // NOTE: byte 9 of a gzip header names the compressing OS; fixed, so every platform writes one link.
  q[9] = 255;
  const timespan = validSpan(from, to);
  return (
    `${PORTAL}Microsoft_Azure_Monitoring_Logs/LogsBlade/resourceId/${encodeURIComponent(component.id)}` +
    `/source/LogsBlade.AnalyticsShareLinkToQuery/q/${encodeURIComponent(q.toString('base64'))}` +
    (timespan === undefined ? '' : `/timespan/${encodeURIComponent(timespan)}`)
  );
}

/**
 * The portal page of one telemetry item: its end-to-end transaction when its table has one and the item
 * id is valid; else, with a valid operation id, Log Analytics showing the operation's telemetry within an
 * hour either side; else undefined.
 */
export function itemLink(
  component: ComponentRef,
  item: {
    readonly table: TableName;
    readonly itemId: unknown;
    readonly operationId: unknown;
    readonly timestamp: unknown;
  },
): { readonly label: string; readonly href: string } | undefined {
  const at = item.timestamp instanceof Date && !Number.isNaN(item.timestamp.getTime()) ? item.timestamp : undefined;
  if (at !== undefined && TRANSACTION_TABLES.has(item.table) && isItemId(item.itemId)) {
    const model = { eventId: item.itemId, timestamp: at.toISOString(), eventTable: item.table };
    const owner = {
      Name: component.name,
      ResourceGroup: component.resourceGroup,
      SubscriptionId: component.subscriptionId,
    };
    return {
      label: 'End-to-end transaction',
      href:
        `${PORTAL}AppInsightsExtension/DetailsV2Blade/DataModel/${encodeURIComponent(JSON.stringify(model))}` +
        `/ComponentId/${encodeURIComponent(JSON.stringify(owner))}`,
    };
  }
  if (at !== undefined && isItemId(item.operationId)) {
    const query = `union ${OPERATION_QUERY_TABLES}\n| where operation_Id == "${item.operationId}"\n| order by timestamp asc`;
    const hour = 60 * 60_000;
    return {
      label: 'Operation in Log Analytics',
      href: logsQueryLink(component, query, new Date(at.getTime() - hour), new Date(at.getTime() + hour)),
    };
  }
  return undefined;
}

/**
 * Whether a link may go into an e-mail: a portal address made of URL-safe characters only. The
 * renderer checks every href with this, so a link it is handed by mistake stays text.
 */
export function isPortalHref(href: string): boolean {
  return href.length <= 40_000 && href.startsWith(PORTAL) && /^[A-Za-z0-9%._~\-/#:()!*]+$/.test(href);
}

function validSpan(from: Date, to: Date): string | undefined {
  const start = from.getTime();
  const end = to.getTime();
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return undefined;
  return `${new Date(start).toISOString()}/${new Date(end).toISOString()}`;
}
