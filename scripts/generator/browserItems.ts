import { customMetric, drawTicks, durationMetric, guid, type RowSeed } from './context';
import { type BuiltItems, fillPath } from './items';
import { AVAILABILITY_TESTS, EVENT_NAMES, HOSTS, PAGES } from './vocabulary';

function drawPage(row: RowSeed) {
  const page = row.rng.pick(PAGES);
  const path = fillPath(row, page.path);
  const host = row.rng.pick(HOSTS);
  const hashTag = row.rng.chance(0.1) ? '#reviews' : '';
  return { name: page.title, path, host, hashTag, url: `https://${host}${encodeURI(path)}${hashTag}` };
}

/** A browser page view (PageViews folder). */
export function pageViewItems(row: RowSeed): BuiltItems {
  const page = drawPage(row);
  const item = {
    count: row.count,
    durationMetric: durationMetric(drawTicks(row.rng, 1200, 0.8), row.count),
    name: page.name,
    url: page.url,
    urlData: { base: page.path, hashTag: page.hashTag, host: page.host, protocol: 'https' },
  };
  return { items: [item], context: { kind: 'browser', operationName: page.name } };
}

/** Page-load timings (PageViewPerformance folder): each phase a metric-value object in ticks. */
export function pageViewPerformanceItems(row: RowSeed): BuiltItems {
  const { rng } = row;
  const page = drawPage(row);
  const phases = {
    networkConnection: drawTicks(rng, 30, 0.9),
    sendRequest: drawTicks(rng, 4, 0.7),
    receiveRequest: drawTicks(rng, 150, 0.8),
    clientProcess: drawTicks(rng, 800, 0.7),
  };
  const total = phases.networkConnection + phases.sendRequest + phases.receiveRequest + phases.clientProcess;
  const item = {
    name: page.name,
    url: page.url,
    urlData: { base: page.path, hashTag: page.hashTag, host: page.host, protocol: 'https', port: 443 },
    total: durationMetric(total, row.count),
    networkConnection: durationMetric(phases.networkConnection, row.count),
    sendRequest: durationMetric(phases.sendRequest, row.count),
    receiveRequest: durationMetric(phases.receiveRequest, row.count),
    clientProcess: durationMetric(phases.clientProcess, row.count),
  };
  return { items: [item], context: { kind: 'browser', operationName: page.name } };
}

/** A custom event (Event folder), from the browser or the server. */
export function eventItems(row: RowSeed): BuiltItems {
  const { rng } = row;
  const name = rng.pick(EVENT_NAMES);
  const fromBrowser = rng.chance(0.6);
  const item: Record<string, unknown> = { name, count: row.count };
  if (fromBrowser) {
    const page = drawPage(row);
    item.url = page.url;
    item.urlData = { base: page.path, host: page.host };
  }
  const dimensions =
    name === 'PaymentDeclined' ? [{ reason: rng.pick(['card_expired', 'insufficient_funds', 'do_not_honor']) }] : [];
  const metrics = name === 'OrderPlaced' ? [{ OrderTotal: customMetric(rng.int(500, 250_000) / 100) }] : undefined;
  return {
    items: [item],
    context: { kind: fromBrowser ? 'browser' : 'server', dimensions, ...(metrics ? { metrics } : {}) },
  };
}

/** A web-test result (Availability folder); always synthetic, never sampled. */
export function availabilityItems(row: RowSeed): BuiltItems {
  const { rng } = row;
  const test = rng.pick(AVAILABILITY_TESTS);
  const passed = rng.chance(0.95);
  const ticks = drawTicks(rng, passed ? 350 : 30_000, 0.5);
  const item = {
    testRunId: guid(rng),
    testTimestamp: row.eventTime,
    testName: test.testName,
    runLocation: rng.pick(test.runLocations),
    result: passed ? 'Pass' : 'Fail',
    message: passed
      ? 'Passed'
      : rng.pick(['Request timed out after 30 seconds.', 'Response code 503 did not match expected 200.']),
    count: 1,
    availabilityMetric: { name: 'availability', value: passed ? 1 : 0 },
    durationMetric: { name: 'duration', ...durationMetric(ticks, 1) },
    dataSizeMetric: { name: 'dataSize', value: passed ? rng.int(20_000, 90_000) : 0 },
  };
  return { items: [item], context: { kind: 'server', operationName: test.testName, synthetic: true } };
}
