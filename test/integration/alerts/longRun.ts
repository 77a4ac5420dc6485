import { TableAlertBook } from '../../../shared/adapters/storage/tableAlertBook';
import { testTableClient } from '../../harness/storage';
import { delivery, invocationFails, MIN, request, ruleOf, T0, world } from '../../unit/alerts/alertWorld';

// The long runs of one rule and group against Azurite, by delivery count: the default suite runs a few
// hundred (past the 200th blob, where state that grows with traffic shows), test:scale a thousand.

export const longRunBook = (table: string) => new TableAlertBook(testTableClient(table), async () => {});

/** Result kinds over `deliveries` consecutive matching deliveries, one a minute, ThrottleMinutes 0. */
export async function consecutiveDeliveries(
  deliveries: number,
): Promise<{ kinds: Record<string, number>; sends: number }> {
  // Real-length export names (~150 characters) and ETags.
  const w = world(longRunBook('longrun'));
  const rule = ruleOf({ ThrottleMinutes: 0 });
  const kinds = new Map<string, number>();
  for (let i = 0; i < deliveries; i++) {
    w.clock = T0 + i * MIN;
    for (const result of await w.deliver(
      [rule],
      [request({ timestamp: new Date(w.clock - MIN) })],
      delivery(i, w.clock),
    )) {
      kinds.set(result.kind, (kinds.get(result.kind) ?? 0) + 1);
    }
  }
  return { kinds: Object.fromEntries(kinds), sends: w.mailer.sends.length };
}

/**
 * Firings over `deliveries` deliveries of one match a minute, Threshold 5 in 10 minutes (a firing
 * consumes the counts), and whether any delivery would have failed its invocation.
 */
export async function windowedDeliveries(deliveries: number): Promise<{ fired: number; failedInvocations: number }> {
  const w = world(longRunBook('longrunwindow'));
  const rule = ruleOf({ ThrottleMinutes: 0, Threshold: 5, WindowMinutes: 10 });
  let fired = 0;
  let failedInvocations = 0;
  for (let i = 0; i < deliveries; i++) {
    w.clock = T0 + i * MIN;
    const results = await w.deliver([rule], [request({ timestamp: new Date(w.clock - MIN) })], delivery(i, w.clock));
    fired += results.filter((r) => r.kind === 'sent').length;
    if (invocationFails(results)) failedInvocations++;
  }
  return { fired, failedInvocations };
}
