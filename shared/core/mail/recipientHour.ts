import { digestKey } from '../digestKey';

export const HOUR_MS = 60 * 60_000;
/** ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR when unset. NOTE: Azure Monitor caps e-mail at 100 an hour per address. */
export const DEFAULT_RECIPIENT_BUDGET = 60;
/** Alerts one digest lists; the rest are counted. Keeps the entity and the message small whatever the flood. */
export const MAX_FOLD_LINES = 100;
/**
 * Folded alerts whose keys are remembered, so a retry of one is not counted twice. Past it a retry may
 * count twice in the digest's total (never in its list); the entity stays bounded whatever the flood.
 */
export const MAX_FOLD_KEYS = 2_000;
/** Characters of a key's digest: 72 bits, unique enough among one recipient's alerts of one hour. */
const KEY_DIGEST_CHARS = 12;

/** One alert a digest lists: what its e-mail would have said at a glance. */
export interface BudgetLine {
  readonly subject: string;
  /** `scope/id` of the rule. */
  readonly rule: string;
  /** When the alert was recorded, epoch ms. */
  readonly at: number;
}

/**
 * Where a recipient-hour is: `open` counts and folds; `closed` is frozen for its digest (alerts of that
 * hour arriving later, the retry of a record written at 13:59 after a crash, are sent on their own, so
 * none misses the digest unseen); `digested` once the digest's record went out.
 */
export type HourStage = 'open' | 'closed' | 'digested';

/** One recipient's e-mails of one UTC hour: bounded by the budget and the fold caps, whatever the traffic. */
export interface RecipientHour {
  /** The address, normalized (`recipientOf`): where the digest goes. */
  readonly recipient: string;
  /** Start of the UTC hour, epoch ms. */
  readonly hourStart: number;
  /** Digests of the alerts sent to the recipient this hour: at most the budget. */
  readonly counted: readonly string[];
  /** Digests of the alerts folded, at most MAX_FOLD_KEYS. */
  readonly folded: readonly string[];
  /** The first MAX_FOLD_LINES folded alerts. */
  readonly lines: readonly BudgetLine[];
  /** Every alert folded, listed or not. */
  readonly foldedTotal: number;
  readonly stage: HourStage;
}

/**
 * What the budget decided for one recipient: `counted` (within the budget: sent), `folded` (past it:
 * listed in the hour's digest, not sent), `late` (the hour's digest is made already: sent anyway).
 */
export type Admission = 'counted' | 'folded' | 'late';

export function hourStartOf(at: number): number {
  return Math.floor(at / HOUR_MS) * HOUR_MS;
}

/** An address as the budget counts it: Azure Monitor and mailbox providers do not tell case apart. */
export function recipientOf(address: string): string {
  return address.trim().toLowerCase();
}

/** A recipient's short, key-safe id: in storage keys and log lines, where the address itself should not be. */
export function recipientId(recipient: string): string {
  return digestKey(recipientOf(recipient), 16);
}

export function emptyHour(recipient: string, hourStart: number): RecipientHour {
  return { recipient, hourStart, counted: [], folded: [], lines: [], foldedTotal: 0, stage: 'open' };
}

/**
 * Applies one alert to one recipient's hour, idempotently per alert key: an alert counted or folded
 * before gets the same answer again and changes nothing, so every attempt of one record sends to the
 * same recipients (and its recipient batches stay the same).
 * @param limit - ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR
 * @returns the admission, and the next state when it changed
 */
export function admitToHour(
  hour: RecipientHour,
  key: string,
  line: BudgetLine,
  limit: number,
): { readonly admission: Admission; readonly next?: RecipientHour } {
  const id = digestKey(key, KEY_DIGEST_CHARS);
  if (hour.counted.includes(id)) return { admission: 'counted' };
  if (hour.folded.includes(id)) return { admission: 'folded' };
  if (hour.stage !== 'open') return { admission: 'late' };
  if (hour.counted.length < limit) return { admission: 'counted', next: { ...hour, counted: [...hour.counted, id] } };
  return {
    admission: 'folded',
    next: {
      ...hour,
      folded: hour.folded.length < MAX_FOLD_KEYS ? [...hour.folded, id] : hour.folded,
      lines: hour.lines.length < MAX_FOLD_LINES ? [...hour.lines, line] : hour.lines,
      foldedTotal: hour.foldedTotal + 1,
    },
  };
}

/** Whether an hour's digest is due at `now`: the hour is over, something was folded, no digest went out. */
export function digestDue(hour: RecipientHour, now: number): boolean {
  return hour.foldedTotal > 0 && hour.stage !== 'digested' && now >= hour.hourStart + HOUR_MS;
}
