import { metricMs, performanceBucket } from '../../../../shared/core/export/records/durations';

describe('performanceBucket', () => {
  it.each([
    [0, '<250ms'],
    [249.999, '<250ms'],
    [250, '250ms-500ms'],
    [500, '500ms-1sec'],
    [999.9, '500ms-1sec'],
    [1_000, '1sec-3sec'],
    [3_000, '3sec-7sec'],
    [7_000, '7sec-15sec'],
    [15_000, '15sec-30sec'],
    [30_000, '30sec-1min'],
    [60_000, '1min-2min'],
    [120_000, '2min-5min'],
    [299_999, '2min-5min'],
    [300_000, '>=5min'],
    [86_400_000, '>=5min'],
  ])('puts %d ms in %s', (ms, bucket) => {
    expect(performanceBucket(ms)).toBe(bucket);
  });
});

describe('metricMs', () => {
  it.each([
    [
      'a sampled request uses sampledValue, not the scaled value',
      { value: 16878750, count: 25, sampledValue: 675150 },
      25,
      67.515,
    ],
    ['an unsampled metric is value / 10,000', { value: 1046804, count: 1, sampledValue: 1046804 }, 1, 104.6804],
    ['without sampledValue, value is divided by the metric count', { value: 500, count: 25 }, 1, 0.002],
    ['without either, value is divided by the item count', { value: 250000, name: 'duration' }, 25, 1],
    ['a lone value is taken as is', { value: 10000 }, undefined, 1],
    ['zero stays zero', { value: 0, count: 25, sampledValue: 0 }, 25, 0],
  ])('%s', (_name, metric, itemCount, ms) => {
    expect(metricMs(metric, itemCount)).toBe(ms);
  });

  it.each([undefined, null, 'fast', [], { count: 1 }, { value: '1' }])('is undefined for %j', (metric) => {
    expect(metricMs(metric, 1)).toBeUndefined();
  });
});
