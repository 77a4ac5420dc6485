import type { AdmitRequest, HourRef, RecipientBudget } from '../../shared/core/mail/recipientBudget';
import {
  type Admission,
  admitToHour,
  digestDue,
  emptyHour,
  type RecipientHour,
} from '../../shared/core/mail/recipientHour';

export type BudgetOp = 'admit' | 'listDue' | 'close' | 'markDigested' | 'expire';
/** Called before and after each operation: may throw (a storage failure) or hang (a process that died there). */
export type BudgetHook = (op: BudgetOp, when: 'before' | 'after') => Promise<void> | void;

/**
 * The recipient budget in memory, with the Table adapter's semantics: every change goes through
 * `admitToHour` on one recipient-hour at a time, and hours are copied in and out, as storage would.
 */
export class MemoryRecipientBudget implements RecipientBudget {
  readonly hours = new Map<string, RecipientHour>();
  hook: BudgetHook = () => {};

  async admit(request: AdmitRequest): Promise<ReadonlyMap<string, Admission>> {
    await this.hook('admit', 'before');
    const admissions = new Map<string, Admission>();
    for (const recipient of request.recipients) {
      const ref = { recipient, hourStart: request.hourStart };
      const current = this.hours.get(keyOf(ref)) ?? emptyHour(recipient, request.hourStart);
      const { admission, next } = admitToHour(current, request.key, request.line, request.limit);
      if (next) this.hours.set(keyOf(ref), structuredClone(next));
      admissions.set(recipient, admission);
    }
    await this.hook('admit', 'after');
    return admissions;
  }

  async *listDue(now: number): AsyncIterable<HourRef> {
    await this.hook('listDue', 'before');
    const due = [...this.hours.values()].filter((h) => digestDue(h, now)).sort((a, b) => a.hourStart - b.hourStart);
    for (const { recipient, hourStart } of due) yield { recipient, hourStart };
  }

  async close(ref: HourRef): Promise<RecipientHour | undefined> {
    await this.hook('close', 'before');
    const hour = this.hours.get(keyOf(ref));
    if (hour?.stage === 'open') this.hours.set(keyOf(ref), { ...hour, stage: 'closed' });
    await this.hook('close', 'after');
    const stored = this.hours.get(keyOf(ref));
    return stored && structuredClone(stored);
  }

  async markDigested(ref: HourRef): Promise<void> {
    await this.hook('markDigested', 'before');
    const hour = this.hours.get(keyOf(ref));
    if (hour) this.hours.set(keyOf(ref), { ...hour, stage: 'digested' });
    await this.hook('markDigested', 'after');
  }

  async expire(before: number, giveUpBefore: number): Promise<{ expired: number; abandoned: HourRef[] }> {
    await this.hook('expire', 'before');
    const result = { expired: 0, abandoned: [] as HourRef[] };
    for (const [key, hour] of this.hours) {
      if (hour.hourStart >= before) continue;
      const owed = hour.stage !== 'digested' && hour.foldedTotal > 0;
      if (owed && hour.hourStart >= giveUpBefore) continue;
      this.hours.delete(key);
      result.expired++;
      if (owed) result.abandoned.push({ recipient: hour.recipient, hourStart: hour.hourStart });
    }
    return result;
  }

  /** The stored hour of a recipient, for assertions. */
  hourOf(recipient: string, hourStart: number): RecipientHour | undefined {
    return this.hours.get(keyOf({ recipient, hourStart }));
  }
}

function keyOf(ref: HourRef): string {
  return `${ref.recipient}\u0000${ref.hourStart}`;
}
