import { at } from '../defined';
import { fail, ok, type Result } from '../result';
import { type WorkspaceTableName, workspaceTableNamed } from './workspaceTables';

/**
 * The exports that replaced Continuous Export: a diagnostic setting archiving to storage (on the
 * Application Insights resource) and a data export rule (on its Log Analytics workspace).
 */
export type SuccessorFormat = 'diagnosticSettings' | 'dataExport';

/** Where a successor-format blob sits, read from its container and name. */
export interface SuccessorBlobRef {
  readonly format: SuccessorFormat;
  readonly container: string;
  /** The blob name relative to its container, as given. */
  readonly blobName: string;
  readonly table: WorkspaceTableName;
  /** Diagnostic settings: the component's resource id as the path writes it ('/SUBSCRIPTIONS/…/COMPONENTS/NAME');
   *  data export: the workspace resource id. */
  readonly resourceId: string;
  /** Diagnostic settings: the component name (last segment of the resource id); data export: undefined. */
  readonly componentName?: string;
  /** Start of the folder's period (UTC): the hour of PT1H.json, the 5-minute folder of PT05M*.json. */
  readonly periodStart: Date;
  readonly periodMinutes: 60 | 5;
}

export interface NotSuccessorBlob {
  readonly container: string;
  readonly blobName: string;
  readonly reason: string;
}

/**
 * What tells the two layouts apart, as the services write them. Key names and the provider path are
 * matched case-insensitively: Azure Monitor writes them upper-cased for diagnostic settings and
 * lower-cased for data export, and resource ids are case-insensitive in ARM anyway.
 */
interface Layout {
  readonly containerPrefix: string;
  readonly rootKey: string;
  /** The resource id's fixed segments, with undefined where a name goes. */
  readonly resourcePath: readonly (string | undefined)[];
  readonly periodMinutes: 60 | 5;
  readonly fileName: RegExp;
  readonly fileShape: string;
}

const LAYOUTS: Readonly<Record<SuccessorFormat, Layout>> = {
  diagnosticSettings: {
    containerPrefix: 'insights-logs-',
    rootKey: 'resourceid',
    resourcePath: [
      'subscriptions',
      undefined,
      'resourcegroups',
      undefined,
      'providers',
      'microsoft.insights',
      'components',
      undefined,
    ],
    periodMinutes: 60,
    fileName: /^PT1H\.json$/,
    fileShape: 'PT1H.json',
  },
  dataExport: {
    containerPrefix: 'am-',
    rootKey: 'workspaceresourceid',
    resourcePath: [
      'subscriptions',
      undefined,
      'resourcegroups',
      undefined,
      'providers',
      'microsoft.operationalinsights',
      'workspaces',
      undefined,
    ],
    periodMinutes: 5,
    // NOTE: the docs name PT05M.json and PT05M_<n>.json once a blob reaches 50,000 appends; a
    // deployment guide reports PT5M.json, so both spellings are read.
    fileName: /^(?:PT05M(?:_\d+)?|PT5M)\.json$/,
    fileShape: 'PT05M.json, PT05M_<n>.json or PT5M.json',
  },
};

/** `<root>=` + 8 resource-id segments + y= m= d= h= m= + the file. */
const SEGMENTS = 1 + 8 + 5 + 1;
const DATE_KEYS = ['y', 'm', 'd', 'h', 'm'] as const;
const DATE_DIGITS = [4, 2, 2, 2, 2] as const;

/** The table a successor container holds (`insights-logs-apprequests`, `am-AppRequests`, any case), or undefined. */
export function successorContainerTable(
  container: string,
): { format: SuccessorFormat; table: WorkspaceTableName } | undefined {
  const lower = container.toLowerCase();
  for (const format of Object.keys(LAYOUTS) as SuccessorFormat[]) {
    const prefix = LAYOUTS[format].containerPrefix;
    if (!lower.startsWith(prefix)) continue;
    const table = workspaceTableNamed(container.slice(prefix.length));
    return table === undefined ? undefined : { format, table };
  }
  return undefined;
}

/**
 * Reads a successor layout out of a container and blob name. A name outside the layout is an
 * expected case (archives hold other files too), so it comes back as a reason, never as an exception.
 */
export function parseSuccessorPath(container: string, blobName: string): Result<SuccessorBlobRef, NotSuccessorBlob> {
  const notSuccessor = (reason: string) => fail({ container, blobName, reason });
  const source = successorContainerTable(container);
  if (source === undefined) {
    return notSuccessor(
      `container '${container}' is not insights-logs-<App table> or am-<App table> (e.g. insights-logs-apprequests, am-AppRequests)`,
    );
  }
  const layout = LAYOUTS[source.format];
  const parts = blobName.split('/');
  if (parts.length !== SEGMENTS) {
    return notSuccessor(`expected ${SEGMENTS} path segments ${shapeOf(source.format)}, found ${parts.length}`);
  }
  const placed = placeFolders(source.format, parts.slice(0, SEGMENTS - 1));
  if (!placed.ok) return notSuccessor(placed.error);
  const fileName = at(parts, SEGMENTS - 1, 'path segments');
  if (!layout.fileName.test(fileName)) return notSuccessor(`'${fileName}' is not ${layout.fileShape}`);
  const { resourceId, componentName, periodStart } = placed.value;
  if (periodStart === undefined) return notSuccessor('the path has no period folders');
  return ok({
    format: source.format,
    container,
    blobName,
    table: source.table,
    resourceId,
    ...(source.format === 'diagnosticSettings' ? { componentName } : {}),
    periodStart,
    periodMinutes: layout.periodMinutes,
  });
}

/** What the folders above a successor blob say, as far down as they go. */
export interface SuccessorFolder {
  readonly resourceId: string;
  readonly componentName: string;
  /** How many of y=, m=, d=, h=, m= the folders reach (0 to 5). */
  readonly dateDepth: number;
  /** Start of the span the folders cover (UTC); undefined above the year folder. */
  readonly periodStart: Date | undefined;
  /** End of that span: the next year, month, day, hour or period. */
  readonly periodEnd: Date | undefined;
}

/**
 * Checks the leading folder segments of a successor blob name (`resourceId=`, the resource id, then
 * y=, m=, d=, h=, m=) against the layout and says which time span they cover. Folder decisions (the
 * retention walk) and blob names go through the same rules.
 * @param folders - up to the 14 folder segments, without the file name
 */
export function placeFolders(format: SuccessorFormat, folders: readonly string[]): Result<SuccessorFolder, string> {
  const layout = LAYOUTS[format];
  if (folders.length > SEGMENTS - 1) return fail(`deeper than ${shapeOf(format)}`);
  const [root, ...rest] = folders;
  if (root === undefined)
    return ok({ resourceId: '', componentName: '', dateDepth: 0, periodStart: undefined, periodEnd: undefined });
  if (root.toLowerCase() !== `${layout.rootKey}=`) return fail(`'${root}' is not the '${layoutRoot(format)}' folder`);
  const resource = rest.slice(0, layout.resourcePath.length);
  for (const [i, segment] of resource.entries()) {
    const fixed = layout.resourcePath[i];
    if (segment === '') return fail(`the resource id has an empty segment at position ${i + 1}`);
    if (fixed !== undefined && segment.toLowerCase() !== fixed)
      return fail(`'${segment}' in the resource id is not '${fixed}' (any case)`);
  }
  const resourceId = `/${resource.join('/')}`;
  const componentName =
    resource.length === layout.resourcePath.length ? at(resource, resource.length - 1, 'resource id segments') : '';
  const dates = rest.slice(layout.resourcePath.length);
  const values: number[] = [];
  for (const [i, segment] of dates.entries()) {
    const key = at(DATE_KEYS, i, 'date keys');
    const digits = at(DATE_DIGITS, i, 'date digits');
    const match = new RegExp(`^${key}=(\\d{${digits}})$`, 'i').exec(segment);
    if (!match) return fail(`'${segment}' is not a ${key}=${'N'.repeat(digits)} folder`);
    values.push(Number(match[1]));
  }
  const period = periodOf(format, values);
  if (!period.ok) return fail(period.error);
  return ok({ resourceId, componentName, dateDepth: values.length, ...period.value });
}

/**
 * When a blob of this period can no longer be appended to: period end plus the grace the services
 * imply. Diagnostic settings append a late record to the previous hour's blob after the hour has
 * turned, so two hours. Data export files a record by its TimeGenerated, however late it arrives,
 * and retries a throttled destination for up to 12 hours; telemetry can arrive up to 48 hours late
 * (the notes' field report for diagnostic settings), so 60 hours.
 */
export function canStillGrowUntil(ref: Pick<SuccessorBlobRef, 'format' | 'periodStart' | 'periodMinutes'>): Date {
  return new Date(ref.periodStart.getTime() + ref.periodMinutes * MINUTE_MS + SUCCESSOR_GRACE_MS[ref.format]);
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** How long after its period a blob of each format may still be appended to; see canStillGrowUntil. */
export const SUCCESSOR_GRACE_MS: Readonly<Record<SuccessorFormat, number>> = {
  diagnosticSettings: 2 * HOUR_MS,
  dataExport: 60 * HOUR_MS,
};

function periodOf(
  format: SuccessorFormat,
  values: readonly number[],
): Result<{ periodStart: Date | undefined; periodEnd: Date | undefined }, string> {
  if (values.length === 0) return ok({ periodStart: undefined, periodEnd: undefined });
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0] = values;
  if (values.length >= 2 && (month < 1 || month > 12)) return fail(`m=${pad(month)} is not a month (01-12)`);
  if (values.length >= 4 && hour > 23) return fail(`h=${pad(hour)} is not an hour (00-23)`);
  if (values.length >= 5) {
    if (format === 'diagnosticSettings' && minute !== 0)
      return fail(`m=${pad(minute)} is not m=00: diagnostic settings write one blob per hour`);
    if (minute > 59 || minute % 5 !== 0) return fail(`m=${pad(minute)} is not a 5-minute folder (00, 05, … 55)`);
  }
  const start = new Date(Date.UTC(year, month - 1, day, hour, minute));
  // Date.UTC rolls 2024-02-30 over into March; a round trip catches days that do not exist.
  if (start.getUTCFullYear() !== year || start.getUTCMonth() !== month - 1 || start.getUTCDate() !== day) {
    return fail(`y=${String(year).padStart(4, '0')}/m=${pad(month)}/d=${pad(day)} is not a calendar date`);
  }
  const end = at(
    [
      () => Date.UTC(year + 1, 0, 1),
      () => Date.UTC(year, month, 1),
      () => Date.UTC(year, month - 1, day + 1),
      () => Date.UTC(year, month - 1, day, hour + 1),
      () => start.getTime() + LAYOUTS[format].periodMinutes * MINUTE_MS,
    ],
    values.length - 1,
    'period ends',
  );
  return ok({ periodStart: start, periodEnd: new Date(end()) });
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function layoutRoot(format: SuccessorFormat): string {
  return format === 'diagnosticSettings' ? 'resourceId=' : 'WorkspaceResourceId=';
}

function shapeOf(format: SuccessorFormat): string {
  return format === 'diagnosticSettings'
    ? 'resourceId=/SUBSCRIPTIONS/<sub>/RESOURCEGROUPS/<rg>/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/<name>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json'
    : 'WorkspaceResourceId=/subscriptions/<sub>/resourcegroups/<rg>/providers/microsoft.operationalinsights/workspaces/<name>/y=YYYY/m=MM/d=DD/h=HH/m=MM/PT05M.json';
}
