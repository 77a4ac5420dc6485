import { TableAlertBook } from '../../../shared/adapters/storage/tableAlertBook';
import type { AlertBook, OpenEpisode } from '../../../shared/core/alerts/alertBook';
import type { Episode } from '../../../shared/core/alerts/alertEpisode';
import type { AlertRecord } from '../../../shared/core/alerts/alertRecord';
import { EMPTY_STATE } from '../../../shared/core/alerts/alertState';
import { testTableClient } from '../../harness/storage';
import { MemoryAlertBook } from '../../helpers/memoryAlertBook';

const T0 = Date.UTC(2024, 2, 5, 13, 10);
const DAY = 24 * 60 * 60_000;

function record(recordKey: string, overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    ruleKey: 'shop-prod/errors',
    recordKey,
    groupKey: '',
    blobName: 'shop-prod_0f1e/Requests/2024-03-05/13/1.blob',
    deliveryId: 'delivery-1',
    status: 'sending',
    recordedAt: T0,
    leaseUntil: T0 + 300_000,
    attempts: 1,
    acceptedBatches: [],
    email: {
      from: 'a@example.com',
      to: ['ops@example.com'],
      subject: 's',
      text: 't',
      html: '<p>h</p>',
      customArgs: {},
      headers: {},
    },
    ...overrides,
  };
}

/** An open episode as a state holds it (issue 15 §2). */
function episode(since: number, lastBreachAt = since): Episode {
  return {
    since,
    lastBreachAt,
    rows: 1,
    weighted: 1,
    firings: 1,
    minutes: {},
    source: { appName: 'shop-prod', folder: 'shop-prod_0f1e', blobName: 'b.blob' },
  };
}

async function listed(book: AlertBook, ruleKey = 'shop-prod/errors'): Promise<OpenEpisode[]> {
  const found: OpenEpisode[] = [];
  for await (const e of book.listEpisodes(ruleKey)) found.push(e);
  return found;
}

async function open(book: AlertBook): Promise<AlertRecord[]> {
  const found: AlertRecord[] = [];
  for await (const r of book.listOpen()) found.push(r);
  return found;
}

// The same contract for the Table adapter (on Azurite) and the in-memory fake the unit tests trust.
describe.each([
  ['Table Storage', () => new TableAlertBook(testTableClient('book'), async () => {})],
  ['memory', () => new MemoryAlertBook()],
] as const)('alert book on %s', (_name, makeBook) => {
  let book: AlertBook;
  beforeEach(() => {
    book = makeBook();
  });

  it('applies a delivery once: a second decide returns the stored record and does not compute', async () => {
    // Arrange
    let computed = 0;
    const compute = () => {
      computed++;
      return { state: { ...EMPTY_STATE, lastFiredAt: T0 }, record: record('d~1') };
    };

    // Act
    const first = await book.decide('shop-prod/errors', '', 'd~1', compute);
    const second = await book.decide('shop-prod/errors', '', 'd~1', compute);

    // Assert
    expect(first.created).toBe(true);
    expect(second).toEqual({
      record: expect.objectContaining({ recordKey: 'd~1', status: 'sending' }),
      created: false,
    });
    expect(computed).toBe(1);
    expect(second.record.email).toEqual(record('d~1').email);
  });

  it('serializes concurrent decisions of one group: every delivery counts exactly once', async () => {
    // Act: 10 deliveries of one group at once, each adding one suppressed row.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        book.decide('shop-prod/errors', 'g', `d~${i}`, (state) => ({
          state: { ...state, suppressed: { rows: state.suppressed.rows + 1, weighted: state.suppressed.weighted + 1 } },
          record: record(`d~${i}`, { status: 'suppressed' }),
        })),
      ),
    );
    let seen = -1;
    await book.decide('shop-prod/errors', 'g', 'd~last', (state) => {
      seen = state.suppressed.rows;
      return { state, record: record('d~last', { status: 'counted' }) };
    });

    // Assert
    expect(seen).toBe(10);
  });

  it('claims: busy within the lease, taken over after it, done once sent', async () => {
    // Arrange
    await book.insert(record('d~1'));

    // Act
    const busy = await book.claim('shop-prod/errors', 'd~1', T0 + 1_000, 300_000);
    const taken = await book.claim('shop-prod/errors', 'd~1', T0 + 400_000, 300_000);
    if (taken.kind === 'claimed')
      await book.markSent(taken.record, T0 + 401_000, {
        provider: 'sendgrid',
        requests: 1,
        messageIds: ['m1'],
        acceptedBatches: [0],
      });
    const done = await book.claim('shop-prod/errors', 'd~1', T0 + 900_000, 300_000);

    // Assert
    expect(busy.kind).toBe('busy');
    expect(taken).toMatchObject({ kind: 'claimed', record: { attempts: 2, leaseUntil: T0 + 700_000 } });
    expect(done).toMatchObject({ kind: 'done', record: { status: 'sent', acceptedBatches: [0] } });
  });

  it('keeps a channel record whole (its payload over several properties) and what the budget held back', async () => {
    // Arrange: a webhook body larger than one property holds, with characters outside ASCII
    const body = JSON.stringify({ text: 'Zürich ✓ '.repeat(5_000) });
    const { email: _email, ...withoutEmail } = record('d~1~webhook:PAGER');
    const notice = {
      ...withoutEmail,
      channel: {
        name: 'webhook:PAGER',
        subject: '[Sev1] errors: 1 request',
        payload: { kind: 'webhook' as const, body, headers: { 'Idempotency-Key': 'k1' }, eventsShown: 1, bytes: 9 },
      },
    };
    await book.insert(notice);
    await book.insert(record('d~1'));

    // Act
    await book.markSent(notice, T0 + 1_000, { provider: 'webhook', messageIds: [], location: 'https://hooks.example' });
    await book.markSent(record('d~1'), T0 + 1_000, { provider: 'sendgrid', messageIds: [], heldBack: 2 });

    // Assert
    expect(await book.get('shop-prod/errors', 'd~1~webhook:PAGER')).toMatchObject({
      status: 'sent',
      provider: 'webhook',
      location: 'https://hooks.example',
      channel: notice.channel,
    });
    expect((await book.get('shop-prod/errors', 'd~1~webhook:PAGER'))?.email).toBeUndefined();
    expect(await book.get('shop-prod/errors', 'd~1')).toMatchObject({ status: 'sent', heldBack: 2 });
  });

  it('lists open records (claimed, failed, covered) but not sent, refused or final ones', async () => {
    // Arrange
    await book.insert(record('d~sending'));
    await book.insert(record('d~failed', { status: 'failed' }));
    await book.insert(
      record('d~covered', { status: 'covered', summaryKey: 'd~s', line: { label: 'tenant=a', rows: 1, weighted: 1 } }),
    );
    await book.insert(record('d~sent', { status: 'sent' }));
    await book.insert(record('d~rejected', { status: 'rejected' }));
    await book.insert(record('d~counted', { status: 'counted' }));

    // Act
    const keys = (await open(book)).map((r) => r.recordKey).sort();

    // Assert
    expect(keys).toEqual(['d~covered', 'd~failed', 'd~sending']);
  });

  it('records failures with the accepted batches, and refusals as final', async () => {
    // Arrange
    await book.insert(record('d~1'));
    await book.insert(record('d~2'));

    // Act
    await book.markFailed(record('d~1'), T0, { error: '503', permanent: false, acceptedBatches: [0, 2] });
    await book.markFailed(record('d~2'), T0, { error: '400 bad from', permanent: true, acceptedBatches: [] });

    // Assert
    expect(await book.get('shop-prod/errors', 'd~1')).toMatchObject({
      status: 'failed',
      acceptedBatches: [0, 2],
      lastError: '503',
      leaseUntil: T0,
    });
    expect(await book.get('shop-prod/errors', 'd~2')).toMatchObject({ status: 'rejected', lastError: '400 bad from' });
  });

  it('finds the records of one delivery', async () => {
    await book.insert(record('d~a', { deliveryId: 'x' }));
    await book.insert(record('d~b', { deliveryId: 'x', status: 'covered' }));
    await book.insert(record('d~c', { deliveryId: 'y' }));
    expect((await book.listDelivery('shop-prod/errors', 'x')).map((r) => r.recordKey).sort()).toEqual(['d~a', 'd~b']);
  });

  it('expires old records and idle states, and keeps the rest', async () => {
    // Arrange
    await book.decide('shop-prod/errors', 'old', 'd~old', () => ({
      state: EMPTY_STATE,
      record: record('d~old', { status: 'counted', recordedAt: T0 - 10 * DAY }),
    }));
    await book.decide('shop-prod/errors', 'new', 'd~new', () => ({
      state: EMPTY_STATE,
      record: record('d~new', { status: 'counted', recordedAt: T0 }),
    }));

    // Act
    const expired = await book.expire(T0 - 7 * DAY, T0 - 7 * DAY);

    // Assert
    expect(expired).toEqual({ records: 1, states: 1 });
    expect(await book.get('shop-prod/errors', 'd~old')).toBeUndefined();
    expect(await book.get('shop-prod/errors', 'd~new')).toBeDefined();
  });

  it('keeps an e-mail larger than one property (spread over several) and a week of window minutes', async () => {
    // Arrange
    const html = `<p>${'é'.repeat(100_000)}</p>`;
    const minutes: Record<string, number> = {};
    for (let m = 0; m < 7 * 24 * 60 + 24 * 60; m++) minutes[String(28_000_000 + m)] = 1 + (m % 7) / 3;
    const state = { minutes, anchorMinute: 28_000_000 + 8 * 24 * 60, suppressed: { rows: 0, weighted: 0 } };

    // Act
    await book.decide('shop-prod/errors', 'g', 'd~big', () => ({
      state,
      record: record('d~big', { email: { ...record('x').email!, html } }),
    }));
    let read = EMPTY_STATE;
    await book.decide('shop-prod/errors', 'g', 'd~next', (s) => {
      read = s;
      return { state: s, record: record('d~next', { status: 'counted' }) };
    });

    // Assert
    expect((await book.get('shop-prod/errors', 'd~big'))?.email?.html).toBe(html);
    expect(read).toEqual(state);
  });

  it('lists a rule’s open episodes from an index that follows every write of the state', async () => {
    // Act: an alert opens in g1 and g2 of one rule, and in another rule; then g1's closes
    await book.decide('shop-prod/errors', 'g1', 'd~1', () => ({
      state: { ...EMPTY_STATE, episode: episode(T0) },
      record: record('d~1', { status: 'counted' }),
    }));
    await book.decide('shop-prod/errors', 'g2', 'd~2', () => ({
      state: { ...EMPTY_STATE, episode: episode(T0 + 1, T0 + 2) },
      record: record('d~2', { status: 'counted' }),
    }));
    await book.decide('shop-prod/other', 'g1', 'd~3', () => ({
      state: { ...EMPTY_STATE, episode: episode(T0) },
      record: record('d~3', { ruleKey: 'shop-prod/other', status: 'counted' }),
    }));
    const before = await listed(book);
    await book.decide('shop-prod/errors', 'g1', 'd~4', (state) => ({
      state: { ...state, episode: undefined },
      record: record('d~4', { status: 'counted' }),
    }));

    // Assert
    expect(before.sort((a, b) => a.groupKey.localeCompare(b.groupKey))).toEqual([
      { ruleKey: 'shop-prod/errors', groupKey: 'g1', since: T0, lastBreachAt: T0 },
      { ruleKey: 'shop-prod/errors', groupKey: 'g2', since: T0 + 1, lastBreachAt: T0 + 2 },
    ]);
    expect(await listed(book)).toEqual([
      { ruleKey: 'shop-prod/errors', groupKey: 'g2', since: T0 + 1, lastBreachAt: T0 + 2 },
    ]);
  });

  it('writes a notice with the decision that finds an episode over, in the same step', async () => {
    // Act
    await book.decide('shop-prod/errors', 'g', 'd~1', () => ({
      state: EMPTY_STATE,
      record: record('d~1', { status: 'counted' }),
      notices: [record('r~1', { groupKey: 'g', leaseUntil: T0, attempts: 0 })],
    }));

    // Assert
    expect(await book.get('shop-prod/errors', 'r~1')).toMatchObject({ status: 'sending', attempts: 0 });
    expect((await open(book)).map((r) => r.recordKey)).toEqual(['r~1']);
  });

  it('changes a state outside a delivery with its record once; a change that finds the record writes nothing', async () => {
    // Arrange
    await book.decide('shop-prod/errors', 'g', 'd~1', () => ({
      state: { ...EMPTY_STATE, episode: episode(T0) },
      record: record('d~1', { status: 'counted' }),
    }));
    const close = (state: typeof EMPTY_STATE | undefined) => ({
      state: { ...(state ?? EMPTY_STATE), episode: undefined },
      record: record('r~1', { groupKey: 'g' }),
    });

    // Act
    const first = await book.changeState('shop-prod/errors', 'g', close, T0);
    const second = await book.changeState('shop-prod/errors', 'g', close, T0);
    const none = await book.changeState('shop-prod/errors', 'g', () => undefined, T0);

    // Assert
    expect(first?.record?.created).toBe(true);
    expect(second?.record).toMatchObject({ created: false, record: { recordKey: 'r~1' } });
    expect(none).toBeUndefined();
    expect(await listed(book)).toEqual([]);
  });

  it('serializes concurrent changes of one group: each counts once', async () => {
    // Act: 10 changes at once, each muting one minute longer than it found
    await Promise.all(
      Array.from({ length: 10 }, () =>
        book.changeState(
          'shop-prod/errors',
          'g',
          (state) => ({ state: { ...(state ?? EMPTY_STATE), muteUntil: (state?.muteUntil ?? T0) + 60_000 } }),
          T0,
        ),
      ),
    );
    let seen: number | undefined;
    await book.changeState(
      'shop-prod/errors',
      'g',
      (state) => {
        seen = state?.muteUntil;
        return undefined;
      },
      T0,
    );

    // Assert
    expect(seen).toBe(T0 + 10 * 60_000);
  });
});
