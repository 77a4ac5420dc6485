import type { MetricValue, RowSeed } from './context';
import type { BuiltItems } from './items';

const METRICS = [
  { name: 'Queue Length', median: 40, spread: 30 },
  { name: 'dispatchRate', median: 0.0013, spread: 0.001 },
  { name: 'Orders per minute', median: 120, spread: 60 },
  { name: 'Cache Hit Ratio', median: 0.92, spread: 0.05 },
  { name: 'Checkout Latency (ms)', median: 350, spread: 200 },
] as const;

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * A metric row (Metrics folder): the `metric` array is empty and the value lives in
 * `context.custom.metrics[0]`, pre-aggregated over `count` samples (DOC-DM example).
 */
export function metricItems(row: RowSeed): BuiltItems {
  const { rng } = row;
  const metric = rng.pick(METRICS);
  const samples = rng.chance(0.5) ? 1 : rng.int(2, 60);
  const values = Array.from({ length: samples }, () =>
    Math.max(0, metric.median + (rng.next() * 2 - 1) * metric.spread),
  );
  const sum = values.reduce((a, b) => a + b, 0);
  const mean = sum / samples;
  const stdDev = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / samples);
  const value: MetricValue = {
    value: round(sum),
    count: samples,
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
    stdDev: round(stdDev),
    sampledValue: round(mean),
    sum: round(sum),
  };
  return {
    items: [],
    context: {
      kind: 'server',
      withoutOperation: true,
      metrics: [{ [metric.name]: value }],
      dimensions: [{ ProcessId: String(rng.int(1000, 9999)) }],
    },
  };
}

const COUNTERS = [
  { categoryName: 'Processor', counter: '% Processor Time', instanceName: '_Total', median: 35 },
  { categoryName: 'Memory', counter: 'Available Bytes', instanceName: '', median: 2.1e9 },
  { categoryName: 'Process', counter: 'Private Bytes', instanceName: 'w3wp', median: 6.5e8 },
  { categoryName: 'ASP.NET Applications', counter: 'Requests/Sec', instanceName: '__Total__', median: 85 },
  { categoryName: 'ASP.NET Applications', counter: 'Request Execution Time', instanceName: '__Total__', median: 45 },
  { categoryName: 'Process', counter: 'IO Data Bytes/sec', instanceName: 'w3wp', median: 120_000 },
] as const;

/**
 * A performance counter (PerformanceCounters folder), shaped as TX's parser reads it:
 * `{"<counter>": {"value": n}, "categoryName": ..., "instanceName": ...}`. No real row is public.
 */
export function performanceCounterItems(row: RowSeed): BuiltItems {
  const { rng } = row;
  const counter = rng.pick(COUNTERS);
  const value = Math.round(rng.logNormal(counter.median, 0.3) * 1000) / 1000;
  const item = { [counter.counter]: { value }, categoryName: counter.categoryName, instanceName: counter.instanceName };
  return { items: [item], context: { kind: 'server', withoutOperation: true } };
}
