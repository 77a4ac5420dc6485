/** Builders for export rows in the shape Continuous Export writes them (see docs/COLUMNS.md). */
export interface RequestRowOptions {
  readonly code?: number;
  readonly name?: string;
  readonly url?: string;
  readonly at?: string;
  readonly tenant?: string;
  /** itemCount: 100 / samplingRate. */
  readonly count?: number;
  readonly durationMs?: number;
  readonly id?: string;
}

let sequence = 0;

export function requestRow(options: RequestRowOptions = {}): string {
  const count = options.count ?? 1;
  const ticks = (options.durationMs ?? 12) * 10_000;
  const id = options.id ?? `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`;
  return JSON.stringify({
    request: [
      {
        id: `|${id}.1_`,
        name: options.name ?? 'GET /checkout',
        count,
        responseCode: options.code ?? 200,
        success: (options.code ?? 200) < 400,
        url: options.url ?? 'https://shop.example.com/checkout',
        durationMetric: { value: ticks * count, count, min: ticks, max: ticks, stdDev: 0, sampledValue: ticks },
      },
    ],
    internal: { data: { id, documentVersion: '1.61' } },
    context: {
      data: { eventTime: options.at ?? '2024-03-05T13:05:00.0000000Z', isSynthetic: false, samplingRate: 100 / count },
      device: { type: 'PC', roleName: 'shop-web', roleInstance: 'web-0' },
      operation: { id: `op-${id}`, name: options.name ?? 'GET /checkout' },
      custom: { dimensions: options.tenant === undefined ? [] : [{ tenant: options.tenant }] },
    },
  });
}

export const IKEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

export function requestBlobName(app = 'shop-prod', hour = '13', file = 'a.blob'): string {
  return `${app}_${IKEY}/Requests/2024-03-05/${hour}/${file}`;
}
