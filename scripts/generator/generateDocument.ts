import { TELEMETRY_TYPES, type TelemetryType } from '../../shared/core/export/telemetryTypes';
import { availabilityItems, eventItems, pageViewItems, pageViewPerformanceItems } from './browserItems';
import { buildContext, drawEventTime, envelope, type RowContext, SAMPLED_COUNT, type TimeWindow } from './context';
import { exceptionItems } from './exceptionItems';
import type { ItemBuilder } from './items';
import { metricItems, performanceCounterItems } from './metricItems';
import { createRng, deriveSeed, type Rng } from './rng';
import { dependencyItems, messageItems, requestItems } from './serverItems';

const BUILDERS: Record<TelemetryType, ItemBuilder> = {
  Requests: requestItems,
  Exceptions: exceptionItems,
  Event: eventItems,
  Messages: messageItems,
  Rdd: dependencyItems,
  PageViews: pageViewItems,
  PageViewPerformance: pageViewPerformanceItems,
  Availability: availabilityItems,
  Metrics: metricItems,
  PerformanceCounters: performanceCounterItems,
};

// Web tests and pre-aggregated metrics are never sampled by the SDK.
const UNSAMPLED: ReadonlySet<TelemetryType> = new Set(['Availability', 'Metrics', 'PerformanceCounters']);

/** What an injector may change: the row's items (array under the type key) and its context, in place. */
export interface InjectTarget {
  readonly type: TelemetryType;
  /** 0-based row index within the blob (or as passed in `GenerateOptions.index`). */
  readonly index: number;
  readonly items: Record<string, unknown>[];
  readonly context: RowContext;
  readonly document: Record<string, unknown>;
  /** Derived from the row index, so drawing from it leaves every other row unchanged. */
  readonly rng: Rng;
}

export type Injector = (row: InjectTarget) => void;

/**
 * Places specific rows, e.g. alert-rule matches. A bare function sees every row and decides itself
 * (by index, say); `{ rate, apply }` applies to that share of rows, chosen from the row index alone.
 * Either way the rows around an injected one are byte-identical to a run without injection.
 */
export type Injection = Injector | { readonly rate: number; readonly seed?: number; readonly apply: Injector };

export interface GenerateOptions {
  /** Every row's `context.data.eventTime` falls in `[start, end)`. */
  readonly window: TimeWindow;
  /** Share (0..1) of sampleable rows written as 25 sampled items at samplingRate 4; default 0.3. */
  readonly sampledShare?: number;
  readonly inject?: Injection;
  /** Row index handed to `inject`; `writeExportBlob` counts it for you. */
  readonly index?: number;
}

export interface GeneratedDocument {
  readonly document: Record<string, unknown>;
  /** Whether `inject` was applied (always true for a bare injector function). */
  readonly injected: boolean;
}

/** Builds one export row as an object, drawing everything from `rng`. */
export function generateDocument(type: TelemetryType, rng: Rng, options: GenerateOptions): GeneratedDocument {
  const time = drawEventTime(rng, options.window);
  const sampled = !UNSAMPLED.has(type) && rng.chance(options.sampledShare ?? 0.3);
  const row = { rng, eventTime: time.text, eventMs: time.ms, sampled, count: sampled ? SAMPLED_COUNT : 1 };
  const built = BUILDERS[type](row);
  const context = buildContext(row, built.context);
  const document = envelope(TELEMETRY_TYPES[type].rowKey, built.items, rng, context);

  const inject = options.inject;
  if (inject === undefined) return { document, injected: false };
  const index = options.index ?? 0;
  const apply = typeof inject === 'function' ? inject : inject.apply;
  if (typeof inject !== 'function') {
    const roll = createRng(deriveSeed(inject.seed ?? 0x5eed, index)).next();
    if (roll >= inject.rate) return { document, injected: false };
  }
  apply({ type, index, items: built.items, context, document, rng: createRng(deriveSeed('inject', index)) });
  return { document, injected: true };
}
