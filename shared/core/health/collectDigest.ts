import { digestKey } from '../digestKey';
import { type SourceHealth, sourceKey } from './sourceHealth';

/** A rule the catalog refused, as its LastError says. */
export interface InvalidRuleNote {
  /** `scope/id`. */
  readonly rule: string;
  readonly problem: string;
}

/** An alert that will never be sent: refused by the provider, or given up after ALERT_RECORD_DAYS. */
export interface RejectedAlert {
  readonly rule: string;
  readonly recordKey: string;
  readonly blob: string;
  /** When it was refused or given up, epoch ms. */
  readonly at: number;
  readonly error: string;
}

/** What the digest reads each time it may send: every source of the app's own failures. */
export interface DigestInputs {
  readonly sources: readonly SourceHealth[];
  readonly invalidRules: readonly InvalidRuleNote[];
  /** Refused or given-up alerts of the window, newest first, at most the limit asked for; `total` counts all. */
  readonly rejected: { readonly alerts: readonly RejectedAlert[]; readonly total: number };
  /** Settings that point at something missing or refused, each a sentence naming the setting and the fix. */
  readonly configuration: readonly string[];
}

/**
 * What earlier digests said, so each item is said once: per source the failure and poison totals
 * reported (a digest of app and type → [failures, poisoned]), and the invalid rules and configuration
 * problems reported while they last (digests of their text). Bounded by the sources in the status
 * table and by MAX_REMEMBERED.
 */
export interface DigestMemory {
  readonly reported: Readonly<Record<string, readonly [number, number]>>;
  readonly rules: readonly string[];
  readonly problems: readonly string[];
}

export const EMPTY_MEMORY: DigestMemory = { reported: {}, rules: [], problems: [] };
/** Invalid rules and configuration problems remembered at most; past it the rest may be said again. */
export const MAX_REMEMBERED = 1_000;

/** A source with failures since the last digest. */
export interface FailingSource {
  readonly health: SourceHealth;
  /** Failed tries since the last digest. */
  readonly failures: number;
  /** Of those, blob versions given up by the host (poisoned). */
  readonly poisoned: number;
}

export interface DigestItems {
  readonly failing: readonly FailingSource[];
  readonly invalidRules: readonly InvalidRuleNote[];
  readonly rejected: DigestInputs['rejected'];
  readonly configuration: readonly string[];
}

/**
 * The items a digest lists, those no earlier digest did, and the memory after it. Pure: the caller
 * stores the memory with the digest's record, in one write, so an item is never said twice or lost.
 */
export function collectDigest(
  inputs: DigestInputs,
  memory: DigestMemory,
): { items: DigestItems; memory: DigestMemory; count: number } {
  const failing: FailingSource[] = [];
  const reported: Record<string, readonly [number, number]> = {};
  for (const health of inputs.sources) {
    const { failures, poisoned } = health.totals;
    if (failures === 0 && poisoned === 0) continue;
    const key = digestKey(sourceKey(health.status.app, health.status.type), 16);
    reported[key] = [failures, poisoned];
    const [saidFailures, saidPoisoned] = memory.reported[key] ?? [0, 0];
    // Totals below what was said: the entity was removed and written anew, so all of it is new.
    const reset = failures < saidFailures || poisoned < saidPoisoned;
    const newFailures = reset ? failures : failures - saidFailures;
    if (newFailures > 0)
      failing.push({ health, failures: newFailures, poisoned: reset ? poisoned : poisoned - saidPoisoned });
  }
  const rules = unsaid(inputs.invalidRules, (r) => `${r.rule}\u0000${r.problem}`, memory.rules);
  const problems = unsaid(inputs.configuration, (p) => p, memory.problems);
  const items: DigestItems = {
    failing,
    invalidRules: rules.items,
    rejected: inputs.rejected,
    configuration: problems.items,
  };
  return {
    items,
    memory: { reported, rules: rules.remembered, problems: problems.remembered },
    count: failing.length + rules.items.length + inputs.rejected.total + problems.items.length,
  };
}

/** Whether two memories say the same: when only what is remembered changed, it is stored without an e-mail. */
export function sameMemory(a: DigestMemory, b: DigestMemory): boolean {
  return JSON.stringify(normalized(a)) === JSON.stringify(normalized(b));
}

/** Items whose digest is not remembered; the memory after them holds what still exists, so a fixed and broken again item is said again. */
function unsaid<T>(
  current: readonly T[],
  text: (item: T) => string,
  remembered: readonly string[],
): { items: T[]; remembered: string[] } {
  const said = new Set(remembered);
  const items: T[] = [];
  const keys = new Set<string>();
  for (const item of current) {
    const key = digestKey(text(item), 16);
    if (keys.has(key)) continue;
    keys.add(key);
    if (!said.has(key)) items.push(item);
  }
  return { items, remembered: [...keys].sort().slice(0, MAX_REMEMBERED) };
}

function normalized(m: DigestMemory): unknown {
  return {
    reported: Object.entries(m.reported).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    rules: [...m.rules].sort(),
    problems: [...m.problems].sort(),
  };
}
