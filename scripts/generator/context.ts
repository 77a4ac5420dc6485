import { at } from '../../shared/core/defined';
import type { Rng } from './rng';
import { BROWSERS, BUILD_IDS, LOCALES, LOCATIONS, REGIONS, ROLES, TENANTS } from './vocabulary';

/** Half-open event-time window: rows get `start <= eventTime < end`. */
export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
}

/** A metric-value object as the exporter writes it (durations in ticks: 10 000 per ms). */
export interface MetricValue {
  value: number;
  count: number;
  min: number;
  max: number;
  stdDev: number;
  sampledValue: number;
  sum?: number;
}

export interface RowContext {
  data: { eventTime: string; isSynthetic: boolean; samplingRate: number };
  operation?: { id: string; parentId: string; name: string };
  custom?: { dimensions: Record<string, string>[]; metrics?: Record<string, MetricValue>[] };
  [section: string]: unknown;
}

/** What every item builder gets: the row's draw, its time and whether it stands for 25 sampled items. */
export interface RowSeed {
  readonly rng: Rng;
  readonly eventTime: string;
  readonly eventMs: number;
  readonly sampled: boolean;
  readonly count: number;
}

export const TICKS_PER_MS = 10_000;
export const SAMPLED_COUNT = 25;

/** UTC ISO 8601 with up to 7 fractional digits, trailing zeros trimmed as the exporter does. */
export function formatEventTime(ms: number, subMsTicks: number): string {
  const iso = new Date(ms).toISOString(); // yyyy-MM-ddTHH:mm:ss.sssZ
  const fraction = `${iso.slice(20, 23)}${String(subMsTicks).padStart(4, '0')}`.replace(/0+$/, '');
  return fraction === '' ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 19)}.${fraction}Z`;
}

export function drawEventTime(rng: Rng, window: TimeWindow): { ms: number; text: string } {
  const start = window.start.getTime();
  const span = Math.max(1, window.end.getTime() - start);
  const ms = start + Math.floor(rng.next() * span);
  // About one in ten real timestamps has only 6 digits; a zero last tick digit gives the same.
  return { ms, text: formatEventTime(ms, rng.int(0, 9999)) };
}

export function guid(rng: Rng): string {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A duration as the exporter writes it; with sampling `value` is the per-item duration times count. */
export function durationMetric(ticks: number, count: number): MetricValue {
  return { value: ticks * count, count, min: ticks, max: ticks, stdDev: 0, sampledValue: ticks };
}

export function customMetric(value: number): MetricValue {
  return { value, count: 1, min: value, max: value, stdDev: 0, sampledValue: value, sum: value };
}

/** Milliseconds drawn log-normally, returned as whole ticks. */
export function drawTicks(rng: Rng, medianMs: number, sigma = 1): number {
  return Math.max(1, Math.round(rng.logNormal(medianMs, sigma) * TICKS_PER_MS));
}

/** Custom dimensions: a varying subset in varying order, the shape of `context.custom.dimensions`. */
export function drawDimensions(rng: Rng, extra: readonly Record<string, string>[] = []): Record<string, string>[] {
  const dims: Record<string, string>[] = [...extra];
  if (rng.chance(0.9)) dims.push({ tenant: rng.pick(TENANTS) });
  if (rng.chance(0.7)) dims.push({ 'Build Id': rng.pick(BUILD_IDS) });
  if (rng.chance(0.6)) dims.push({ region: rng.pick(REGIONS) });
  if (rng.chance(0.05))
    dims.push({ cart: JSON.stringify({ items: rng.int(1, 9), total: rng.int(500, 99_999) / 100 }) });
  // NOTE: real rows do not keep dimension order (NET fixtures), so neither do we.
  for (let i = dims.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [dims[i], dims[j]] = [at(dims, j, 'dimensions'), at(dims, i, 'dimensions')];
  }
  return dims;
}

export interface ContextOptions {
  readonly kind: 'server' | 'browser';
  readonly operationName?: string;
  readonly operationId?: string;
  readonly dimensions?: readonly Record<string, string>[];
  readonly metrics?: Record<string, MetricValue>[];
  /** Web tests and bots are synthetic; availability rows set this. */
  readonly synthetic?: boolean;
  /** Metrics and counters are not tied to an operation. */
  readonly withoutOperation?: boolean;
}

/** Builds `context`, leaving out sections the way real rows do ("not all fields are transmitted"). */
export function buildContext(row: RowSeed, options: ContextOptions): RowContext {
  const { rng } = row;
  const sections: Record<string, unknown> = {};
  sections.data = {
    eventTime: row.eventTime,
    isSynthetic: options.synthetic ?? rng.chance(0.02),
    samplingRate: row.sampled ? 100 / SAMPLED_COUNT : 100,
  };
  sections.cloud = {};
  if (options.kind === 'server') {
    const role = rng.pick(ROLES);
    sections.device = {
      type: 'PC',
      roleName: role.roleName,
      roleInstance: rng.pick(role.instances),
      screenResolution: {},
    };
  } else {
    const b = rng.pick(BROWSERS);
    sections.device = {
      osVersion: b.osVersion,
      type: 'Browser',
      browser: b.browser,
      browserVersion: b.browserVersion,
      screenResolution: {},
      locale: rng.pick(LOCALES),
    };
    if (rng.chance(0.8)) sections.user = drawUser(rng);
  }
  if (rng.chance(0.85))
    sections.session = options.kind === 'browser' ? { id: rng.hex(5), isFirst: rng.chance(0.1) } : { isFirst: false };
  const opId = options.operationId ?? rng.hex(32);
  if (!options.withoutOperation && (options.operationName !== undefined || rng.chance(0.8))) {
    const parentId = rng.chance(0.5) ? opId : `|${opId}.${rng.hex(8)}_1.`;
    sections.operation = { id: opId, parentId, name: options.operationName ?? 'GET /' };
  }
  if (rng.chance(0.75)) {
    const place = rng.pick(LOCATIONS);
    sections.location = rng.chance(0.3) ? { clientip: '0.0.0.0' } : { clientip: '0.0.0.0', ...place };
  }
  const custom: Record<string, unknown> = { dimensions: drawDimensions(rng, options.dimensions) };
  if (options.metrics) custom.metrics = options.metrics;
  sections.custom = custom;
  if (options.kind === 'browser') sections.application = {};

  // NOTE: key order inside context differs between real rows (TIM vs NET); parsers must go by name.
  const order = rng.chance(0.5) ? SERVER_ORDER : BROWSER_ORDER;
  const context: Record<string, unknown> = {};
  for (const key of order) if (key in sections) context[key] = sections[key];
  return context as RowContext;
}

const SERVER_ORDER = [
  'data',
  'cloud',
  'device',
  'user',
  'session',
  'operation',
  'location',
  'custom',
  'application',
] as const;
const BROWSER_ORDER = [
  'device',
  'application',
  'location',
  'data',
  'user',
  'operation',
  'cloud',
  'custom',
  'session',
] as const;

function drawUser(rng: Rng): Record<string, unknown> {
  const authenticated = rng.chance(0.4);
  const user: Record<string, unknown> = {
    isAuthenticated: authenticated,
    anonId: guid(rng).toUpperCase(),
    anonAcquisitionDate: '0001-01-01T00:00:00Z',
    authAcquisitionDate: '0001-01-01T00:00:00Z',
    accountAcquisitionDate: formatEventTime(
      Date.UTC(2023, rng.int(0, 11), rng.int(1, 28), rng.int(0, 23)),
      rng.int(0, 9999),
    ),
  };
  if (authenticated) user.authId = rng.pick(['jane@contoso.com', 'kenji.s', 'jürgen.m']);
  return user;
}

/** The whole row: type key first, then `internal`, then `context`, the order every real row has. */
export function envelope(rowKey: string, items: unknown[], rng: Rng, context: RowContext): Record<string, unknown> {
  return { [rowKey]: items, internal: { data: { id: guid(rng), documentVersion: '1.61' } }, context };
}
