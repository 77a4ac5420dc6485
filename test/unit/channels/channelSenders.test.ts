import { type ChannelReceiver, startChannelReceiver } from '../../../scripts/channelReceivers';
import { createChannelSenders } from '../../../shared/adapters/channels/createChannelSenders';
import type { HttpChannelSender } from '../../../shared/adapters/channels/httpChannelSender';
import { signedWebhookSender } from '../../../shared/adapters/channels/signedWebhookSender';
import { slackWebhookSender } from '../../../shared/adapters/channels/slackWebhookSender';
import { teamsWorkflowSender } from '../../../shared/adapters/channels/teamsWorkflowSender';
import type { ChannelKind } from '../../../shared/core/channels/channelPayload';
import { ChannelSendError } from '../../../shared/core/channels/channelSendError';
import { noticePayload } from '../../../shared/core/channels/noticePayload';
import { WEBHOOK_HEADERS } from '../../../shared/core/channels/webhookPayload';
import type { Logger } from '../../../shared/core/logger';
import { notice } from './channelHelpers';

const SECRET = 'test-webhook-secret-0123456789';
/** The secret part of each kind's URL, as the services place it: the path and the query. */
const SECRET_PATH: Record<ChannelKind, string> = {
  teams: '/workflows/2f0a7c1e9b/triggers/manual/paths/invoke',
  slack: '/T0001/B0002/xoxSecretToken123',
  webhook: '/hooks/aa11bb22cc33',
};

let receiver: ChannelReceiver;

beforeEach(async () => {
  receiver = await startChannelReceiver({ secrets: { OPS: SECRET }, now: () => clock });
});

afterEach(async () => {
  await receiver.close();
});

let clock = Date.UTC(2024, 2, 5, 13, 10, 0);

/** A sender to the receiver with a fake clock: `sleep` records each wait and moves the clock instead. */
function senderTo(
  kind: ChannelKind,
  options: { secret?: string; requestTimeoutMs?: number; retryBudgetMs?: number; url?: string } = {},
): { sender: HttpChannelSender; sleeps: number[]; lines: string[] } {
  const sleeps: number[] = [];
  const lines: string[] = [];
  const logger: Logger = {
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
  };
  const common = {
    name: 'OPS',
    url:
      options.url ??
      `${receiver.url}/${kind}/OPS${SECRET_PATH[kind]}${kind === 'teams' ? '?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig=SigSecret0123456789' : ''}`,
    now: () => clock,
    random: () => 0.5,
    logger,
    sleep: (ms: number) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    ...(options.retryBudgetMs === undefined ? {} : { retryBudgetMs: options.retryBudgetMs }),
  };
  const sender =
    kind === 'teams'
      ? teamsWorkflowSender(common)
      : kind === 'slack'
        ? slackWebhookSender(common)
        : signedWebhookSender({ ...common, secret: options.secret ?? SECRET });
  return { sender, sleeps, lines };
}

const payloadFor = (kind: ChannelKind) => noticePayload(kind, notice());

async function failureOf(promise: Promise<unknown>): Promise<ChannelSendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ChannelSendError)) throw new Error(`expected a ChannelSendError, got ${String(error)}`);
  return error;
}

describe.each(['teams', 'slack', 'webhook'] as const)('the %s sender', (kind) => {
  it('delivers a notice the receiver finds valid, in one request', async () => {
    // Act
    const receipt = await senderTo(kind).sender.send(payloadFor(kind));

    // Assert
    expect(receipt).toEqual({
      kind,
      name: 'OPS',
      target: receiver.url,
      status: kind === 'teams' ? 202 : 200,
      attempts: 1,
    });
    expect(receiver.received.map((r) => r.problems)).toEqual([[]]);
    expect(receiver.received[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it("waits what a 429's Retry-After asks, then sends again", async () => {
    // Arrange
    receiver.respondWith([{ status: 429, retryAfter: 7, body: 'rate limited' }]);
    const { sender, sleeps, lines } = senderTo(kind);

    // Act
    const receipt = await sender.send(payloadFor(kind));

    // Assert
    expect(receipt.attempts).toBe(2);
    expect(sleeps).toEqual([7_000]);
    expect(lines).toEqual([
      `${kind}:OPS (${receiver.url}): 429 Too Many Requests: rate limited; retrying in 7000 ms (attempt 2)`,
    ]);
  });

  it.each([
    ['0', 1_000],
    ['0.2', 1_000],
    ['45', 30_000],
  ])('holds a Retry-After of %s s to %i ms', async (retryAfter, wait) => {
    receiver.respondWith([{ status: 429, retryAfter }]);
    const { sender, sleeps } = senderTo(kind);
    await sender.send(payloadFor(kind));
    expect(sleeps).toEqual([wait]);
  });

  it('gives up at once when Retry-After asks for more than the budget left', async () => {
    // Arrange
    receiver.respondWith([{ status: 429, retryAfter: 120 }]);
    const { sender, sleeps } = senderTo(kind);

    // Act
    const error = await failureOf(sender.send(payloadFor(kind)));

    // Assert
    expect(error).toMatchObject({ retryable: true, status: 429, attempts: 1, channel: `${kind}:OPS` });
    expect(sleeps).toEqual([]);
  });

  it('retries 5xx with growing jittered backoff, each wait at least 1 s', async () => {
    // Arrange
    receiver.respondWith([{ status: 503 }, { status: 502 }, { status: 500 }]);
    const { sender, sleeps } = senderTo(kind);

    // Act
    const receipt = await sender.send(payloadFor(kind));

    // Assert: ceilings 1 s, 2 s, 4 s with jitter 0.5 from a 1 s floor
    expect(receipt.attempts).toBe(4);
    expect(sleeps).toEqual([1_000, 1_500, 2_500]);
  });

  it('stops within its retry budget when every answer is a 503', async () => {
    // Arrange
    receiver.respondAlwaysWith({ status: 503 });
    const { sender, sleeps } = senderTo(kind, { retryBudgetMs: 5_000 });

    // Act
    const error = await failureOf(sender.send(payloadFor(kind)));

    // Assert
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(
      /failed 3 times within the 5000 ms retry budget; last: 503 Service Unavailable; try again later$/,
    );
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(5_000);
  });

  it('fails at once on a 400, without retrying', async () => {
    // Arrange
    receiver.respondWith([
      { status: 400, body: kind === 'slack' ? 'invalid_payload' : '{"error":{"code":"BadRequest","message":"bad"}}' },
    ]);
    const { sender, sleeps } = senderTo(kind);

    // Act
    const error = await failureOf(sender.send(payloadFor(kind)));

    // Assert
    expect(error).toMatchObject({ retryable: false, status: 400, attempts: 1 });
    expect(error.details).toEqual([kind === 'slack' ? 'invalid_payload' : 'BadRequest: bad']);
    expect(error.message).toContain('; not retried');
    expect(sleeps).toEqual([]);
    expect(receiver.received).toHaveLength(1);
  });

  it('cuts off an attempt that gets no answer by its deadline, and retries it', async () => {
    // Arrange: a real deadline of 200 ms against an answer held for 5 s
    receiver.respondWith([{ status: 200, delayMs: 5_000 }]);
    const { sender, sleeps } = senderTo(kind, { requestTimeoutMs: 200 });

    // Act
    const receipt = await sender.send(payloadFor(kind));

    // Assert
    expect(receipt.attempts).toBe(2);
    expect(sleeps).toEqual([1_000]);
  });

  it('retries a connection dropped without an answer', async () => {
    receiver.respondWith([{ hangUp: true }]);
    const { sender, lines } = senderTo(kind);
    const receipt = await sender.send(payloadFor(kind));
    expect(receipt.attempts).toBe(2);
    expect(lines[0]).toMatch(/: (UND_ERR_SOCKET|ECONNRESET); retrying in 1000 ms/);
  });

  it('refuses a payload built for another kind of channel', async () => {
    const other = kind === 'teams' ? 'slack' : 'teams';
    const error = await failureOf(senderTo(kind).sender.send(payloadFor(other)));
    expect(error).toMatchObject({ retryable: false, attempts: 0 });
    expect(receiver.received).toEqual([]);
  });

  it('never shows the URL path, query or secret in a log line, an error or its cause', async () => {
    // Arrange: a retry (logged), then a refusal whose body quotes the URL back, then a dead port
    const { sender, lines } = senderTo(kind);
    const url = (sender as unknown as { options: { url: string } }).options.url;
    const parsed = new URL(url);
    receiver.respondWith([
      { status: 500, body: `failed for ${url}` },
      { status: 403, body: `no access to ${parsed.pathname}${parsed.search} with ${SECRET}` },
    ]);
    const refused = await failureOf(sender.send(payloadFor(kind)));
    await receiver.close();
    const unreachable = await failureOf(senderTo(kind, { url, retryBudgetMs: 3_000 }).sender.send(payloadFor(kind)));
    receiver = await startChannelReceiver();

    // Assert
    const texts = [
      ...lines,
      ...[refused, unreachable].flatMap((e) => [
        e.message,
        ...e.details,
        String(e.cause),
        JSON.stringify(e),
        e.stack ?? '',
      ]),
    ];
    const secrets = [parsed.pathname, parsed.search, ...parsed.searchParams.values(), SECRET_PATH[kind]]
      .concat(kind === 'webhook' ? [SECRET] : [])
      .filter((s) => s.length >= 4);
    for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
    expect(refused.message).toContain(`${kind}:OPS (${receiver.url.replace(/:\d+$/, '')}`);
    expect(unreachable.message).toContain('ECONNREFUSED');
    expect(unreachable.retryable).toBe(true);
  });
});

describe('the Slack sender', () => {
  it.each([
    ['a 200 whose body is invalid_payload', 200, 'invalid_payload', false],
    ['a 200 whose body is JSON ok:false', 200, '{"ok":false,"error":"invalid_blocks"}', false],
    ['channel_is_archived (410)', 410, 'channel_is_archived', false],
    ['rollup_error (500)', 500, 'rollup_error', true],
    ['a 200 whose body is rollup_error', 200, 'rollup_error', true],
  ])('reads %s as %s', async (_, status, body, retryable) => {
    receiver.respondAlwaysWith({ status, body });
    const error = await failureOf(senderTo('slack', { retryBudgetMs: 2_500 }).sender.send(payloadFor('slack')));
    expect(error.retryable).toBe(retryable);
    expect(error.details).toEqual([body.startsWith('{') ? 'invalid_blocks' : body]);
  });

  it('says what to do when the webhook no longer posts', async () => {
    receiver.respondWith([{ status: 404, body: 'channel_not_found' }]);
    const error = await failureOf(senderTo('slack').sender.send(payloadFor('slack')));
    expect(error.message).toContain(
      '404 Not Found (the webhook no longer posts there: create one and update the SLACK_WEBHOOK_ setting): channel_not_found',
    );
  });

  it('takes {"ok":true} as success (a workflow webhook)', async () => {
    receiver.respondWith([{ status: 200, body: '{"ok":true}' }]);
    expect((await senderTo('slack').sender.send(payloadFor('slack'))).status).toBe(200);
  });
});

describe('the Teams sender', () => {
  it("reads a retired connector's 200 with an HTTP 429 in its body as a retryable 429", async () => {
    // Arrange
    receiver.respondWith([
      {
        status: 200,
        body: 'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId MS-CV=abc.',
      },
    ]);
    const { sender, sleeps } = senderTo('teams');

    // Act
    const receipt = await sender.send(payloadFor('teams'));

    // Assert
    expect(receipt.attempts).toBe(2);
    expect(sleeps).toEqual([1_000]);
  });

  it("reads a connector's 200 with an HTTP 400 in its body as permanent", async () => {
    receiver.respondWith([
      {
        status: 200,
        body: 'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 400 with ContextId x.',
      },
    ]);
    const error = await failureOf(senderTo('teams').sender.send(payloadFor('teams')));
    expect(error).toMatchObject({ retryable: false, status: 400 });
  });

  it('takes the legacy connector success "1"', async () => {
    receiver.respondWith([{ status: 200, body: '1' }]);
    expect((await senderTo('teams').sender.send(payloadFor('teams'))).status).toBe(200);
  });

  it('names the trigger setting when the workflow refuses the caller', async () => {
    receiver.respondWith([{ status: 401, body: '{"error":{"code":"DirectApiAuthorizationRequired","message":"no"}}' }]);
    const error = await failureOf(senderTo('teams').sender.send(payloadFor('teams')));
    expect(error.message).toContain("its trigger must allow 'Anyone'");
    expect(error.details).toEqual(['DirectApiAuthorizationRequired: no']);
  });
});

describe('the generic webhook sender', () => {
  it('signs each attempt with its own timestamp, so a retry after a wait is not stale', async () => {
    // Arrange: the receiver's clock moves with the sender's, as real clocks do
    receiver.respondWith([{ status: 503 }]);
    const { sender } = senderTo('webhook');

    // Act
    await sender.send(payloadFor('webhook'));

    // Assert
    const stamps = receiver.received.map((r) => r.headers[WEBHOOK_HEADERS.timestamp.toLowerCase()]);
    expect(stamps).toHaveLength(2);
    expect(Number(stamps[1]) - Number(stamps[0])).toBe(1);
    expect(receiver.received[1]?.problems).toEqual([]);
    expect(receiver.received[0]?.body).toBe(receiver.received[1]?.body);
  });

  it('is refused, not retried, when the receiver holds another secret', async () => {
    const error = await failureOf(
      senderTo('webhook', { secret: 'another-secret-0123456789' }).sender.send(payloadFor('webhook')),
    );
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toContain('check that WEBHOOK_SECRET_ matches');
  });

  it('sends the same idempotency key twice when a notice is sent again, and the receiver sees a duplicate', async () => {
    const { sender } = senderTo('webhook');
    await sender.send(payloadFor('webhook'));
    await sender.send(payloadFor('webhook'));
    expect(receiver.received.map((r) => r.headers['idempotency-key'])).toEqual([
      expect.any(String),
      receiver.received[0]?.headers['idempotency-key'],
    ]);
  });
});

describe('createChannelSenders', () => {
  it('makes one sender per configured channel, keyed as Notify names it', () => {
    const senders = createChannelSenders({
      targets: [
        { kind: 'teams', name: 'OPS', url: 'https://example.logic.azure.com/x' },
        { kind: 'webhook', name: 'PAGER', url: 'https://pager.example/x', secret: SECRET },
      ],
    });
    expect([...senders.keys()]).toEqual(['teams:OPS', 'webhook:PAGER']);
    expect(senders.get('webhook:PAGER')?.kind).toBe('webhook');
  });
});
