import { customMetric, drawTicks, durationMetric, type RowSeed } from './context';
import { type BuiltItems, fillPath, templateName } from './items';
import { HOSTS, LOGGERS, ROUTES, SEARCH_TERMS, TENANTS } from './vocabulary';

const RESPONSE_CODES: readonly (readonly [number, number])[] = [
  [200, 82],
  [201, 3],
  [204, 2],
  [302, 2],
  [304, 2],
  [400, 1.5],
  [401, 1],
  [404, 4],
  [500, 1.5],
  [503, 1],
];

const ROUTE_WEIGHTS = ROUTES.map((route) => [route, route.weight] as const);

/** A server request (Requests folder), shaped like the NET fixtures. */
export function requestItems(row: RowSeed): BuiltItems {
  const { rng } = row;
  const route = rng.weighted(ROUTE_WEIGHTS);
  const path = fillPath(row, route.path);
  const host = rng.pick(HOSTS);
  const protocol = rng.chance(0.85) ? 'https' : 'http';
  const query = 'query' in route ? `?q=${encodeURIComponent(rng.pick(SEARCH_TERMS))}&page=${rng.int(1, 5)}` : '';
  const responseCode = rng.weighted(RESPONSE_CODES);
  const medianMs = responseCode >= 500 ? 900 : responseCode === 404 ? 8 : 45;
  const ticks = drawTicks(rng, medianMs);
  const operationId = rng.hex(32);
  const name = `${route.method} ${rng.chance(0.6) ? templateName(route.path) : path}`;
  const item = {
    id: `|${operationId}.${rng.hex(8)}_`,
    name,
    count: row.count,
    responseCode,
    success: responseCode < 400,
    url: `${protocol}://${host}${encodeURI(path)}${query}`,
    urlData: { base: path, host, hashTag: '', protocol },
    durationMetric: durationMetric(ticks, row.count),
  };
  const dimensions: Record<string, string>[] = [{ '_MS.ProcessedByMetricExtractors': "(Name:'Requests', Ver:'1.1')" }];
  if (rng.chance(0.5))
    dimensions.push({ ClientIPAddress: `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}` });
  const metrics = rng.chance(0.1) ? [{ 'Request Size': customMetric(rng.int(200, 40_000)) }] : undefined;
  return {
    items: [item],
    context: { kind: 'server', operationName: name, operationId, dimensions, ...(metrics ? { metrics } : {}) },
  };
}

const DEPENDENCIES = [
  { type: 'Http', host: 'payments.fabrikam.net', base: '/v1/payments/{n}', method: 'POST', weight: 5 },
  { type: 'Http', host: 'inventory.contoso.internal', base: '/stock/{n}', method: 'GET', weight: 5 },
  { type: 'SQL', host: 'contoso-sql.database.windows.net', base: 'orders', method: '', weight: 6 },
  {
    type: 'Azure blob',
    host: 'contosoassets.blob.core.windows.net',
    base: '/images/{h}.png',
    method: 'GET',
    weight: 2,
  },
  {
    type: 'Azure Service Bus',
    host: 'contoso-bus.servicebus.windows.net',
    base: 'orders-queue',
    method: 'Send',
    weight: 2,
  },
] as const;
const DEPENDENCY_WEIGHTS = DEPENDENCIES.map((d) => [d, d.weight] as const);

/** A remote dependency call (Rdd folder); `resultCode` is a string here, unlike requests. */
export function dependencyItems(row: RowSeed): BuiltItems {
  const { rng } = row;
  const dep = rng.weighted(DEPENDENCY_WEIGHTS);
  const target = fillPath(row, dep.base);
  const failed = rng.chance(0.04);
  const operationId = rng.hex(32);
  const isSql = dep.type === 'SQL';
  const resultCode = isSql
    ? failed
      ? rng.pick(['-2', '1205', '40613'])
      : '0'
    : failed
      ? rng.pick(['500', '503', '429', '404'])
      : '200';
  const name = isSql ? `tcp:${dep.host},1433 | ${target}` : `${dep.method} ${target}`;
  const url = isSql ? '' : `https://${dep.host}${target}`;
  const item = {
    async: false,
    baseName: isSql ? target : `${dep.method} ${dep.base.replace(/\{.\}/g, '*')}`,
    commandName: isSql ? `SELECT TOP 50 * FROM Orders WHERE TenantId = @tenant AND Status = ${rng.int(0, 4)}` : url,
    count: row.count,
    dependencyTypeName: dep.type,
    durationMetric: durationMetric(drawTicks(rng, failed ? 2500 : isSql ? 6 : 60), row.count),
    id: `|${operationId}.${rng.hex(8)}.`,
    name,
    resultCode,
    success: !failed,
    type: dep.type,
    url,
    urlData: { base: isSql ? '' : target, hashTag: '', host: dep.host },
  };
  return { items: [item], context: { kind: 'server', operationName: `POST /api/checkout`, operationId } };
}

const SEVERITIES: readonly (readonly [string, number])[] = [
  ['Verbose', 10],
  ['Information', 60],
  ['Warning', 18],
  ['Error', 10],
  ['Critical', 2],
];

/** A trace (Messages folder): free text in `raw`, severity as a string. */
export function messageItems(row: RowSeed): BuiltItems {
  const { rng } = row;
  const severityLevel = rng.weighted(SEVERITIES);
  const loggerName = rng.pick(LOGGERS);
  const order = rng.int(1000, 99_999);
  const raw = rng.pick(MESSAGES[severityLevel] ?? MESSAGES.Information ?? [])(
    order,
    rng.int(1, 5000),
    rng.pick(TENANTS),
  );
  const item = { loggerName, parameters: '', raw, severityLevel };
  return { items: [item], context: { kind: 'server', dimensions: [{ CategoryName: loggerName }] } };
}

type MessageText = (order: number, ms: number, tenant: string) => string;
const MESSAGES: Record<string, readonly MessageText[]> = {
  Verbose: [(o) => `Cache hit for key products:${o}`, (_o, ms) => `Connection pool size ${ms % 100}`],
  Information: [
    (o, ms, t) => `Processed order ${o} for tenant ${t} in ${ms} ms`,
    () => 'Request starting HTTP/1.1 GET https://shop.contoso.com/api/products - -',
    (o) => `Bestellung ${o} für Kunde „Müller“ verarbeitet`,
  ],
  Warning: [
    (_o, ms) => `Retrying SQL connection (attempt ${(ms % 5) + 1}/5)`,
    (_o, ms) => `Slow response from payments gateway: ${ms} ms`,
  ],
  Error: [
    (o) => `Payment declined for order ${o}: card_expired`,
    () =>
      'Unhandled exception in QueueListener\r\nSystem.TimeoutException: The operation has timed out.\r\n   at Contoso.Worker.QueueListener.ReceiveAsync()\tinner',
  ],
  Critical: [() => 'Database failover detected; switching to secondary ⚠'],
};
