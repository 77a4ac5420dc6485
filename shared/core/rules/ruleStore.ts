import type { RuleEntity } from './alertRule';

/** Where rules live. The Table Storage adapter (ruleStore.ts) is the real one; tests may use it on Azurite. */
export interface RuleStore {
  /** Every rule; none when the table does not exist yet. */
  list(): Promise<RuleEntity[]>;
  get(scope: string, id: string): Promise<RuleEntity | undefined>;
  /** Creates the table when needed and writes the rule whole. */
  put(entity: RuleEntity): Promise<void>;
  /** @returns false when there was no such rule */
  remove(scope: string, id: string): Promise<boolean>;
  /** Records a rule's problems ('' when valid) next to it, without touching the user's properties. */
  setLastError(scope: string, id: string, lastError: string): Promise<void>;
}

/**
 * The longest LastError written. NOTE: a string property holds at most 64 KiB (32K UTF-16 characters);
 * a rule with hundreds of query diagnostics must not fail to record them.
 */
export const MAX_LAST_ERROR_CHARS = 8_000;

/** LastError as it is stored: compare with this, not the full text, to tell whether it changed. */
export function storedLastError(lastError: string): string {
  if (lastError.length <= MAX_LAST_ERROR_CHARS) return lastError;
  const end = /[\ud800-\udbff]/.test(lastError.charAt(MAX_LAST_ERROR_CHARS - 2))
    ? MAX_LAST_ERROR_CHARS - 2
    : MAX_LAST_ERROR_CHARS - 1;
  return `${lastError.slice(0, end)}…`;
}
