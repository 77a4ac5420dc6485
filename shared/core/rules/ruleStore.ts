import type { RuleEntity } from './alertRule';

/** Where rules live. The Table Storage adapter (ruleStore.ts) is the real one; tests may use it on Azurite. */
export interface RuleStore {
  /** Every rule, each with its etag; none when the table does not exist yet. */
  list(): Promise<RuleEntity[]>;
  /** The rule with its etag, the version a conditional write names. */
  get(scope: string, id: string): Promise<RuleEntity | undefined>;
  /** Creates the table when needed and writes the rule whole. */
  put(entity: RuleEntity): Promise<void>;
  /**
   * Writes the rule whole if the stored one is still the version `expected` (its etag as read), or,
   * with none, only if there is no such rule: an edit made after the read is never overwritten.
   * @returns false, having written nothing, when someone else added, changed or removed the rule first
   */
  putIfUnchanged(entity: RuleEntity, expected: string | undefined): Promise<boolean>;
  /** @returns false when there was no such rule */
  remove(scope: string, id: string): Promise<boolean>;
  /** @returns false, having removed nothing, when the rule changed since version `expected` or is gone */
  removeIfUnchanged(scope: string, id: string, expected: string): Promise<boolean>;
  /**
   * Records a rule's problems ('' when valid) next to it, without touching the user's properties. It is
   * a write all the same: the rule's etag changes.
   */
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
