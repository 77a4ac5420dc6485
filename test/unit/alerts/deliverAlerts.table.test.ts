import type { RecordStatus } from '../../../shared/core/alerts/alertRecord';
import type { AlertResult } from '../../../shared/core/alerts/deliverAlerts';
import type { TelemetryRecord } from '../../../shared/core/export/telemetryRecord';
import type { AlertRule, RuleEntity } from '../../../shared/core/rules/alertRule';
import { type BookHook, MemoryAlertBook } from '../../helpers/memoryAlertBook';
import { delivery, hang, LEASE_MS, MIN, request, ruleOf, T0, type World, world } from './alertWorld';
import { chain, failing, RecordingMailer } from './recordingMailer';

const BLOB =
  'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/000001-6f0b3c-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee_20240305_131000.blob';
/** How messages name the alert of delivery 1 for a rule without GroupBy: by its record key. */
const ALERT = 'alert shop-prod/errors (d~ZWhXBhVw63A9PEDrMGmHfhAdeOugi1r4)';
/** How messages name the summary of delivery 1. */
const SUMMARY = 'alert shop-prod/errors (d~8AHpyhuThi9ud5PBaj4ym2EMQTGpTTGn)';

// SendGrid takes 1,000 recipients a request: 1,001 make batch 0 (user0 … user999) and batch 1 (user1000).
const RECIPIENTS = Array.from({ length: 1_001 }, (_, i) => `user${i}@example.com`);
const IN_BATCH_0 = 'user0@example.com';
const IN_BATCH_1 = 'user1000@example.com';

interface Scene {
  readonly w: World;
  readonly book: MemoryAlertBook;
  readonly mailer: RecordingMailer;
  /** What the book does while the invocation under test runs: another invocation's moves, or a fault. */
  during: BookHook;
  deliver(): Promise<AlertResult[]>;
}

function scene(rule: AlertRule, maxEmailsPerRule = 10, records: readonly TelemetryRecord[] = [request()]): Scene {
  const book = new MemoryAlertBook();
  const mailer = new RecordingMailer();
  const w = world(book, maxEmailsPerRule);
  return {
    w,
    book,
    mailer,
    during: () => {},
    deliver: () => w.deliver([rule], records, delivery(1), { mailer }),
  };
}

/** An earlier invocation that dies once its decision is written, holding the claim it made. */
async function dieAfterDecision(s: Scene): Promise<void> {
  await new Promise<void>((died) => {
    s.book.hook = (op, when) => (op === 'decide' && when === 'after' ? hang(died) : undefined);
    void s.deliver();
  });
  s.book.hook = () => {};
}

/** Another invocation that, just before ours claims the record, takes it and ends it its own way. */
function raceToClaim(s: Scene, end: 'sent' | 'refused'): BookHook {
  let raced = false;
  return async (op, when) => {
    if (op !== 'claim' || when !== 'before' || raced) return;
    raced = true;
    const [stored] = s.book.records.values();
    if (!stored) throw new Error('no record to race for');
    // The other invocation meets none of the faults this one does.
    const hook = s.book.hook;
    s.book.hook = () => {};
    const other = await s.book.claim(stored.ruleKey, stored.recordKey, s.w.clock, LEASE_MS);
    if (end === 'sent') {
      await s.book.markSent(other.record, s.w.clock, {
        provider: 'sendgrid',
        requests: 2,
        messageIds: ['other-0', 'other-1'],
        acceptedBatches: [0, 1],
      });
    } else {
      await s.book.markFailed(other.record, s.w.clock, {
        error: 'The from address does not match a verified Sender Identity',
        permanent: true,
        acceptedBatches: [],
      });
    }
    s.book.hook = hook;
  };
}

/**
 * What the book holds for the alert when this invocation reaches it. Between them, every answer the book
 * gives: no claim needed (a fresh decision, or one sent or refused already), `claimed` (failed, or a
 * lapsed lease), `busy`, `done` (another invocation won the race), a claim that throws, and a decision
 * that throws.
 */
const SITUATIONS = {
  'a fresh decision': async () => {},
  'an earlier send failed': async (s: Scene) => {
    s.mailer.script = [{ fail: 'retryable' }];
    await s.deliver();
  },
  'an earlier send failed after SendGrid took batch 0': async (s: Scene) => {
    s.mailer.script = [{ fail: 'retryable', afterBatches: 1 }];
    await s.deliver();
  },
  "a dead invocation's claim has lapsed": async (s: Scene) => {
    await dieAfterDecision(s);
    s.w.clock += LEASE_MS + MIN;
  },
  'it was sent already': async (s: Scene) => {
    await s.deliver();
  },
  'SendGrid refused it earlier': async (s: Scene) => {
    s.mailer.script = [{ fail: 'permanent' }];
    await s.deliver();
  },
  'another invocation holds a live claim': dieAfterDecision,
  'another invocation sends it between our read and our claim': async (s: Scene) => {
    s.mailer.script = [{ fail: 'retryable' }];
    await s.deliver();
    s.during = raceToClaim(s, 'sent');
  },
  'another invocation is refused between our read and our claim': async (s: Scene) => {
    s.mailer.script = [{ fail: 'retryable' }];
    await s.deliver();
    s.during = raceToClaim(s, 'refused');
  },
  'the claim cannot be written': async (s: Scene) => {
    s.mailer.script = [{ fail: 'retryable' }];
    await s.deliver();
    s.during = failing('claim', Infinity, '503 Server Busy');
  },
  'the decision cannot be written': async (s: Scene) => {
    s.during = failing('decide', Infinity, '409 TableBeingDeleted');
  },
} satisfies Record<string, (s: Scene) => Promise<void>>;
type Situation = keyof typeof SITUATIONS;

/** What the mailer (and the book, recording its verdict) does when this invocation sends. */
const OUTCOMES = {
  'SendGrid takes every batch': () => {},
  'SendGrid answers 503': (s: Scene) => {
    s.mailer.script = [{ fail: 'retryable' }];
  },
  'SendGrid refuses with 400': (s: Scene) => {
    s.mailer.script = [{ fail: 'permanent' }];
  },
  'SendGrid takes one batch, then answers 503': (s: Scene) => {
    s.mailer.script = [{ fail: 'retryable', afterBatches: 1 }];
  },
  'SendGrid takes one batch, then refuses with 400': (s: Scene) => {
    s.mailer.script = [{ fail: 'permanent', afterBatches: 1 }];
  },
  'the mailer throws an error of its own': (s: Scene) => {
    s.mailer.throws.push(new TypeError('fetch failed'));
  },
  'marking sent fails twice, then works': (s: Scene) => {
    s.during = chain(s.during, failing('markSent', 2, '503 Server Busy'));
  },
  'marking sent keeps failing': (s: Scene) => {
    s.during = chain(s.during, failing('markSent', Infinity, '503 Server Busy'));
  },
  'SendGrid answers 503 and the failure cannot be recorded': (s: Scene) => {
    s.mailer.script = [{ fail: 'retryable' }];
    s.during = chain(s.during, failing('markFailed', Infinity, 'table storage is down'));
  },
  'SendGrid takes one batch, answers 503, and the failure cannot be recorded': (s: Scene) => {
    s.mailer.script = [{ fail: 'retryable', afterBatches: 1 }];
    s.during = chain(s.during, failing('markFailed', Infinity, 'table storage is down'));
  },
} satisfies Record<string, (s: Scene) => void>;
type Outcome = keyof typeof OUTCOMES;

const SENT: AlertResult = { kind: 'sent' };
const FAILED_503: AlertResult = { kind: 'failed', error: `${ALERT}: SendGrid said no (retryable)` };
const REJECTED_400: AlertResult = { kind: 'rejected', error: `${ALERT}: SendGrid said no (permanent)` };
const FAILED_OWN: AlertResult = { kind: 'failed', error: `${ALERT}: fetch failed` };
const FAILED_UNRECORDED: AlertResult = { kind: 'failed', error: `${ALERT}: table storage is down` };

/**
 * Situation and send outcome; then the record's status, the result, the record's attempts and accepted
 * batches, and the copies a recipient of batch 0 and one of batch 1 have received in all.
 */
type SendingRow = [Situation, Outcome, RecordStatus, AlertResult, number, number[], [number, number]];

const SENDING: SendingRow[] = [
  ['a fresh decision', 'SendGrid takes every batch', 'sent', SENT, 1, [0, 1], [1, 1]],
  ['a fresh decision', 'SendGrid answers 503', 'failed', FAILED_503, 1, [], [0, 0]],
  ['a fresh decision', 'SendGrid refuses with 400', 'rejected', REJECTED_400, 1, [], [0, 0]],
  ['a fresh decision', 'SendGrid takes one batch, then answers 503', 'failed', FAILED_503, 1, [0], [1, 0]],
  ['a fresh decision', 'SendGrid takes one batch, then refuses with 400', 'rejected', REJECTED_400, 1, [0], [1, 0]],
  ['a fresh decision', 'the mailer throws an error of its own', 'failed', FAILED_OWN, 1, [], [0, 0]],
  ['a fresh decision', 'marking sent fails twice, then works', 'sent', SENT, 1, [0, 1], [1, 1]],
  ['a fresh decision', 'marking sent keeps failing', 'sending', SENT, 1, [], [1, 1]],
  [
    'a fresh decision',
    'SendGrid answers 503 and the failure cannot be recorded',
    'sending',
    FAILED_UNRECORDED,
    1,
    [],
    [0, 0],
  ],
  [
    'a fresh decision',
    'SendGrid takes one batch, answers 503, and the failure cannot be recorded',
    'sending',
    FAILED_UNRECORDED,
    1,
    [],
    [1, 0],
  ],

  ['an earlier send failed', 'SendGrid takes every batch', 'sent', SENT, 2, [0, 1], [1, 1]],
  ['an earlier send failed', 'SendGrid answers 503', 'failed', FAILED_503, 2, [], [0, 0]],
  ['an earlier send failed', 'SendGrid refuses with 400', 'rejected', REJECTED_400, 2, [], [0, 0]],
  ['an earlier send failed', 'SendGrid takes one batch, then answers 503', 'failed', FAILED_503, 2, [0], [1, 0]],
  [
    'an earlier send failed',
    'SendGrid takes one batch, then refuses with 400',
    'rejected',
    REJECTED_400,
    2,
    [0],
    [1, 0],
  ],
  ['an earlier send failed', 'the mailer throws an error of its own', 'failed', FAILED_OWN, 2, [], [0, 0]],
  ['an earlier send failed', 'marking sent fails twice, then works', 'sent', SENT, 2, [0, 1], [1, 1]],
  ['an earlier send failed', 'marking sent keeps failing', 'sending', SENT, 2, [], [1, 1]],
  [
    'an earlier send failed',
    'SendGrid answers 503 and the failure cannot be recorded',
    'sending',
    FAILED_UNRECORDED,
    2,
    [],
    [0, 0],
  ],
  [
    'an earlier send failed',
    'SendGrid takes one batch, answers 503, and the failure cannot be recorded',
    'sending',
    FAILED_UNRECORDED,
    2,
    [],
    [1, 0],
  ],

  // Batch 0 is skipped on the retry, so "one batch, then …" now means batch 1, and the send completes.
  ['an earlier send failed after SendGrid took batch 0', 'SendGrid takes every batch', 'sent', SENT, 2, [0, 1], [1, 1]],
  ['an earlier send failed after SendGrid took batch 0', 'SendGrid answers 503', 'failed', FAILED_503, 2, [0], [1, 0]],
  [
    'an earlier send failed after SendGrid took batch 0',
    'SendGrid refuses with 400',
    'rejected',
    REJECTED_400,
    2,
    [0],
    [1, 0],
  ],
  [
    'an earlier send failed after SendGrid took batch 0',
    'SendGrid takes one batch, then answers 503',
    'sent',
    SENT,
    2,
    [0, 1],
    [1, 1],
  ],
  [
    'an earlier send failed after SendGrid took batch 0',
    'SendGrid takes one batch, then refuses with 400',
    'sent',
    SENT,
    2,
    [0, 1],
    [1, 1],
  ],
  [
    'an earlier send failed after SendGrid took batch 0',
    'the mailer throws an error of its own',
    'failed',
    FAILED_OWN,
    2,
    [0],
    [1, 0],
  ],
  [
    'an earlier send failed after SendGrid took batch 0',
    'marking sent fails twice, then works',
    'sent',
    SENT,
    2,
    [0, 1],
    [1, 1],
  ],
  ['an earlier send failed after SendGrid took batch 0', 'marking sent keeps failing', 'sending', SENT, 2, [0], [1, 1]],
  [
    'an earlier send failed after SendGrid took batch 0',
    'SendGrid answers 503 and the failure cannot be recorded',
    'sending',
    FAILED_UNRECORDED,
    2,
    [0],
    [1, 0],
  ],
  [
    'an earlier send failed after SendGrid took batch 0',
    'SendGrid takes one batch, answers 503, and the failure cannot be recorded',
    'sent',
    SENT,
    2,
    [0, 1],
    [1, 1],
  ],

  ["a dead invocation's claim has lapsed", 'SendGrid takes every batch', 'sent', SENT, 2, [0, 1], [1, 1]],
  ["a dead invocation's claim has lapsed", 'SendGrid answers 503', 'failed', FAILED_503, 2, [], [0, 0]],
  ["a dead invocation's claim has lapsed", 'SendGrid refuses with 400', 'rejected', REJECTED_400, 2, [], [0, 0]],
  [
    "a dead invocation's claim has lapsed",
    'SendGrid takes one batch, then answers 503',
    'failed',
    FAILED_503,
    2,
    [0],
    [1, 0],
  ],
  [
    "a dead invocation's claim has lapsed",
    'SendGrid takes one batch, then refuses with 400',
    'rejected',
    REJECTED_400,
    2,
    [0],
    [1, 0],
  ],
  [
    "a dead invocation's claim has lapsed",
    'the mailer throws an error of its own',
    'failed',
    FAILED_OWN,
    2,
    [],
    [0, 0],
  ],
  ["a dead invocation's claim has lapsed", 'marking sent fails twice, then works', 'sent', SENT, 2, [0, 1], [1, 1]],
  ["a dead invocation's claim has lapsed", 'marking sent keeps failing', 'sending', SENT, 2, [], [1, 1]],
  [
    "a dead invocation's claim has lapsed",
    'SendGrid answers 503 and the failure cannot be recorded',
    'sending',
    FAILED_UNRECORDED,
    2,
    [],
    [0, 0],
  ],
  [
    "a dead invocation's claim has lapsed",
    'SendGrid takes one batch, answers 503, and the failure cannot be recorded',
    'sending',
    FAILED_UNRECORDED,
    2,
    [],
    [1, 0],
  ],
];

/** Where this invocation must not send, whatever the mailer would do: the record's status and the result. */
const NOT_SENDING: [Situation, RecordStatus | 'absent', AlertResult][] = [
  ['it was sent already', 'sent', { kind: 'alreadySent' }],
  ['SendGrid refused it earlier', 'rejected', { kind: 'rejected', error: 'SendGrid said no (permanent)' }],
  [
    'another invocation holds a live claim',
    'sending',
    { kind: 'inFlight', error: `${ALERT} is being sent by another invocation until 2024-03-05T13:15:00.000Z` },
  ],
  ['another invocation sends it between our read and our claim', 'sent', { kind: 'alreadySent' }],
  [
    'another invocation is refused between our read and our claim',
    'rejected',
    { kind: 'rejected', error: 'The from address does not match a verified Sender Identity' },
  ],
  ['the claim cannot be written', 'failed', { kind: 'failed', error: `${ALERT}: 503 Server Busy` }],
  [
    'the decision cannot be written',
    'absent',
    {
      kind: 'failed',
      error: `alert shop-prod/errors for ${BLOB}: could not record the decision: 409 TableBeingDeleted`,
    },
  ],
];

const WIDE_RULE = ruleOf({ Recipients: RECIPIENTS.join(';') });

/** A scene in the situation, its mailer and book set to act out the outcome on the next delivery. */
async function arrange(situation: Situation, outcome: Outcome): Promise<{ s: Scene; callsBefore: number }> {
  const s = scene(WIDE_RULE);
  await SITUATIONS[situation](s);
  OUTCOMES[outcome](s);
  s.book.hook = s.during;
  return { s, callsBefore: s.mailer.calls.length };
}

describe('deliverAlerts: what the book holds × what the mailer does', () => {
  it.each(SENDING)(
    '%s, and %s: the record ends %s',
    async (situation, outcome, status, result, attempts, acceptedBatches, [batch0, batch1]) => {
      // Arrange
      const { s, callsBefore } = await arrange(situation, outcome);

      // Act
      const results = await s.deliver();

      // Assert
      const [record] = s.book.records.values();
      expect(results).toEqual([result]);
      expect(s.mailer.calls.length - callsBefore).toBe(1);
      expect(record).toMatchObject({ status, attempts, acceptedBatches });
      expect(s.mailer.copies([IN_BATCH_0])).toEqual({ min: batch0, max: batch0 });
      expect(s.mailer.copies([IN_BATCH_1])).toEqual({ min: batch1, max: batch1 });
    },
  );

  it.each(
    NOT_SENDING.flatMap(([situation, status, result]) =>
      Object.keys(OUTCOMES).map((outcome) => [situation, outcome as Outcome, status, result] as const),
    ),
  )('%s (the mailer would: %s): sends nothing, the record stays %s', async (situation, outcome, status, result) => {
    // Arrange
    const { s, callsBefore } = await arrange(situation, outcome);

    // Act
    const results = await s.deliver();

    // Assert
    const [record] = s.book.records.values();
    expect(results).toEqual([result]);
    expect(s.mailer.calls.length - callsBefore).toBe(0);
    expect(record?.status ?? 'absent').toBe(status);
  });

  it('passes on where the outbox wrote the message', async () => {
    // Arrange
    const s = scene(ruleOf());
    s.mailer.location = 'outbox/2024-03-05/131000-errors.eml';

    // Act
    const results = await s.deliver();

    // Assert
    expect(results).toEqual([{ kind: 'sent', location: 'outbox/2024-03-05/131000-errors.eml' }]);
  });
});

describe('deliverAlerts: what the decision says', () => {
  const visitors = (...names: string[]) => names.map((visitor) => request({ customDimensions: { visitor } }));

  it.each<[string, Partial<RuleEntity>, number, TelemetryRecord[], AlertResult['kind'][], number]>([
    ['the threshold is met: the e-mail goes out', {}, 10, [request()], ['sent'], 1],
    ['the threshold is not met: nothing is sent', { Threshold: 2 }, 10, [request()], ['belowThreshold'], 0],
    [
      'the cap is reached: the group with most matches gets its own e-mail, the others one summary',
      { GroupBy: 'customDimensions.visitor' },
      2,
      visitors('a', 'b', 'b', 'c'),
      ['sent', 'summarized', 'summarized', 'sent'],
      2,
    ],
    [
      'a cap of one: every group shares the summary',
      { GroupBy: 'customDimensions.visitor' },
      1,
      visitors('a', 'b'),
      ['summarized', 'summarized', 'sent'],
      1,
    ],
  ])('%s', async (_, entity, maxEmailsPerRule, records, kinds, emails) => {
    // Arrange
    const s = scene(ruleOf(entity), maxEmailsPerRule, records);

    // Act
    const results = await s.deliver();

    // Assert
    expect(results.map((r) => r.kind)).toEqual(kinds);
    expect(s.mailer.calls).toHaveLength(emails);
  });

  it('the group with most matches is the one e-mailed on its own', async () => {
    // Arrange
    const s = scene(ruleOf({ GroupBy: 'customDimensions.visitor' }), 2, visitors('a', 'b', 'b', 'c'));

    // Act
    await s.deliver();

    // Assert
    expect(s.mailer.calls.map((c) => c.email.subject)).toEqual([
      '[Sev2] errors: 2 requests in shop-prod [customDimensions.visitor=b] (13:08–13:08 UTC)',
      '[Sev2] errors: 2 more groups fired in shop-prod (summary)',
    ]);
  });

  it('a throttled group is suppressed on the next delivery', async () => {
    // Arrange
    const book = new MemoryAlertBook();
    const w = world(book);
    const rule = ruleOf({ ThrottleMinutes: 15 });
    await w.deliver([rule], [request()], delivery(1));
    w.clock = T0 + 14 * MIN;

    // Act
    const results = await w.deliver([rule], [request()], delivery(2, w.clock));

    // Assert
    expect(results).toEqual([{ kind: 'suppressed' }]);
    expect(w.mailer.sends).toHaveLength(1);
  });
});

describe("deliverAlerts: the summary's send", () => {
  const rule = ruleOf({ GroupBy: 'customDimensions.visitor' });
  const records = [request({ customDimensions: { visitor: 'a' } }), request({ customDimensions: { visitor: 'b' } })];

  it.each<[string, (s: Scene) => void, AlertResult]>([
    ['SendGrid takes it: sent', () => {}, { kind: 'sent' }],
    [
      'SendGrid answers 503: failed, for the retry',
      (s) => (s.mailer.script = [{ fail: 'retryable' }]),
      { kind: 'failed', error: `${SUMMARY}: SendGrid said no (retryable)` },
    ],
    [
      'SendGrid refuses with 400: rejected',
      (s) => (s.mailer.script = [{ fail: 'permanent' }]),
      { kind: 'rejected', error: `${SUMMARY}: SendGrid said no (permanent)` },
    ],
    [
      'its record cannot be written: failed, naming the summary',
      (s) => (s.during = failing('insert', Infinity, 'table storage is down')),
      { kind: 'failed', error: `summary of shop-prod/errors for ${BLOB}: table storage is down` },
    ],
  ])('%s', async (_, arrange, summary) => {
    // Arrange
    const s = scene(rule, 1, records);
    arrange(s);
    s.book.hook = s.during;

    // Act
    const results = await s.deliver();

    // Assert
    expect(results).toEqual([{ kind: 'summarized' }, { kind: 'summarized' }, summary]);
  });

  it('is held back, for the retry to write whole, while a covered group has no decision', async () => {
    // Arrange
    const s = scene(rule, 1, records);
    let decisions = 0;
    s.book.hook = (op, when) => {
      if (op === 'decide' && when === 'before' && ++decisions === 1) throw new Error('409 TableBeingDeleted');
    };

    // Act
    const results = await s.deliver();

    // Assert
    expect(results.map((r) => r.kind)).toEqual(['failed', 'summarized']);
    expect(s.mailer.calls).toHaveLength(0);
    expect([...s.book.records.values()].map((r) => r.groupKey)).not.toContain('#summary');
  });

  it('is not sent again when the delivery comes back', async () => {
    // Arrange
    const s = scene(rule, 1, records);
    await s.deliver();

    // Act
    const again = await s.deliver();

    // Assert
    expect(again).toEqual([{ kind: 'summarized' }, { kind: 'summarized' }, { kind: 'alreadySent' }]);
    expect(s.mailer.calls).toHaveLength(1);
  });
});
