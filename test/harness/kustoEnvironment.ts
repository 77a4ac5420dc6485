import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-node';

/** The globals Microsoft's Kusto parser scripts define (Bridge.NET's runtime, then the parser). */
interface KustoGlobals {
  readonly Bridge: unknown;
  readonly System: unknown;
  readonly Kusto: unknown;
}

// NOTE: jest gives every test file a fresh vm context and module registry, so a parser `require`d by
// the code under test would be loaded (≈ 0.6 s) and warmed up (several seconds for the first analysis)
// again in each file. This module is loaded by the worker itself, outside those contexts, and cached by
// Node like any module: the parser below is loaded once per worker and its warm state shared by every
// file the worker runs. It is immutable once loaded, so no file can leak state to the next.
let loaded: KustoGlobals | undefined;

function loadKusto(): KustoGlobals {
  if (loaded) return loaded;
  // A script run for its globals, in the worker's realm; the runtime first.
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  const worker = globalThis as unknown as KustoGlobals;
  loaded = { Bridge: worker.Bridge, System: worker.System, Kusto: worker.Kusto };
  return loaded;
}

/**
 * jest's Node environment with the worker's Kusto parser on each test file's global, loaded on first
 * read of `Kusto` (files that compile no rule never pay for it). `shared/core/rules/kustoParser.ts`
 * uses a `Kusto` namespace it finds on `globalThis` instead of loading its own.
 */
export default class KustoEnvironment extends TestEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    for (const name of ['Bridge', 'System', 'Kusto'] as const) {
      Object.defineProperty(this.global, name, {
        configurable: true,
        enumerable: false,
        get: () => loadKusto()[name],
      });
    }
  }
}
