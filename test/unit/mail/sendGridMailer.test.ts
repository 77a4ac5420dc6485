import { createServer } from 'node:net';

import { type FakeSendGrid, sendGridMailerFor, startFakeSendGrid } from '../../../scripts/fakeSendGrid';
import { MAX_RECIPIENTS_PER_REQUEST } from '../../../shared/adapters/mail/sendGridMailer';
import { alertEmail, failureOf, recipients } from './mailHelpers';

let server: FakeSendGrid;

beforeEach(async () => {
  server = await startFakeSendGrid();
});

afterEach(async () => {
  await server.close();
});

describe('SendGridMailer', () => {
  it('posts one mail/send request with both parts, custom args, headers and a personalization per recipient', async () => {
    // Arrange
    const { mailer, sleeps } = sendGridMailerFor(server);
    const email = alertEmail({ to: ['a@example.com', 'b@example.com'] });

    // Act
    const receipt = await mailer.send(email);

    // Assert
    expect(receipt).toEqual({
      provider: 'sendgrid',
      requests: 1,
      messageIds: [expect.any(String)],
      acceptedBatches: [0],
    });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.status).toBe(202);
    expect(request?.headers.authorization).toBe(`Bearer ${server.apiKey}`);
    expect(request?.body).toEqual({
      from: { email: 'alerts@example.com' },
      subject: email.subject,
      personalizations: [{ to: [{ email: 'a@example.com' }] }, { to: [{ email: 'b@example.com' }] }],
      content: [
        { type: 'text/plain', value: 'plain body' },
        { type: 'text/html', value: '<p>html body</p>' },
      ],
      custom_args: { ledgerKey: 'ledger-1', rule: 'shop-prod/checkout-5xx', app: 'shop-prod' },
      headers: { 'X-Alert-Ledger-Key': 'ledger-1' },
      tracking_settings: { click_tracking: { enable: false, enable_text: false } },
    });
    expect(sleeps).toEqual([]);
  });

  it('returns the X-Message-Id SendGrid answered with', async () => {
    const { mailer } = sendGridMailerFor(server);

    const receipt = await mailer.send(alertEmail());

    expect(receipt.messageIds[0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('waits as long as Retry-After asks after a 429, then sends', async () => {
    server.respondWith([{ status: 429, retryAfter: 1 }]);
    const { mailer, sleeps } = sendGridMailerFor(server);

    const receipt = await mailer.send(alertEmail());

    expect(receipt.requests).toBe(2);
    expect(server.requests.map((r) => r.status)).toEqual([429, 202]);
    expect(sleeps).toEqual([1000]);
  });

  it('waits until X-RateLimit-Reset when a 429 has no Retry-After', async () => {
    const { mailer, sleeps, now } = sendGridMailerFor(server);
    server.respondWith([{ status: 429, rateLimitReset: now() / 1000 + 7 }]);

    await mailer.send(alertEmail());

    expect(sleeps).toEqual([7000]);
  });

  it('retries 5xx answers with exponential backoff and full jitter above the 1 s floor', async () => {
    server.respondWith([{ status: 500 }, { status: 503 }]);
    const { mailer, sleeps } = sendGridMailerFor(server, { random: () => 0.5, backoffBaseMs: 2000 });

    const receipt = await mailer.send(alertEmail());

    expect(receipt.requests).toBe(3);
    expect(server.requests.map((r) => r.status)).toEqual([500, 503, 202]);
    // Caps 2 s then 4 s; half-way between the floor and the cap.
    expect(sleeps).toEqual([1500, 2500]);
  });

  it('fails at once on a 400 with SendGrid error messages', async () => {
    const message = 'The from object must be provided for every email send.';
    server.respondWith([{ status: 400, errors: [{ message, field: 'from', help: null }] }]);
    const { mailer, sleeps } = sendGridMailerFor(server);

    const error = await failureOf(mailer.send(alertEmail()));

    expect(error).toMatchObject({
      name: 'MailSendError',
      code: 'MAIL_SEND_FAILED',
      status: 400,
      retryable: false,
      attempts: 1,
    });
    expect(error.details).toEqual([message]);
    expect(error.message).toBe(`SendGrid mail/send for 1 recipient failed: 400 Bad Request: ${message}`);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('reports what the fake SendGrid finds wrong with a body, without retrying', async () => {
    const { mailer } = sendGridMailerFor(server);

    const error = await failureOf(mailer.send(alertEmail({ subject: '' })));

    expect(error.status).toBe(400);
    expect(error.details).toEqual([expect.stringContaining('The subject is required.')]);
    expect(server.requests).toHaveLength(1);
  });

  it('fails at once on a wrong API key and says to check it', async () => {
    const { mailer } = sendGridMailerFor(server, { apiKey: 'SG.wrong' });

    const error = await failureOf(mailer.send(alertEmail()));

    expect(error).toMatchObject({ status: 401, retryable: false, attempts: 1 });
    expect(error.message).toContain('401 Unauthorized (check the API key and its Mail Send permission)');
    expect(error.details).toEqual(['The provided authorization grant is invalid, expired, or revoked']);
  });

  it('retries a dropped connection', async () => {
    server.respondWith([{ hangUp: true }]);
    const { mailer, sleeps } = sendGridMailerFor(server);

    const receipt = await mailer.send(alertEmail());

    expect(receipt.requests).toBe(2);
    expect(sleeps).toHaveLength(1);
  });

  it('retries a request that times out', async () => {
    // The deadline also bounds the healthy second attempt: long enough for a loaded CI machine
    server.respondWith([{ status: 202, delayMs: 30_000 }]);
    const { mailer } = sendGridMailerFor(server, { requestTimeoutMs: 1_500 });

    const receipt = await mailer.send(alertEmail());

    expect(receipt.requests).toBe(2);
  });

  it('gives up with a retryable error when nothing listens and the retry budget is spent', async () => {
    // Arrange: a port that was just free
    const port = await freePort();
    const { mailer, sleeps } = sendGridMailerFor(server, {
      baseUrl: `http://127.0.0.1:${port}/`,
      retryBudgetMs: 10_000,
    });

    // Act
    const error = await failureOf(mailer.send(alertEmail()));

    // Assert
    expect(error.retryable).toBe(true);
    expect(error.status).toBeUndefined();
    expect(error.attempts).toBe(sleeps.length + 1);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
    expect(error.message).toMatch(
      /^SendGrid mail\/send for 1 recipient failed \d+ times within the 10000 ms retry budget; last: ECONNREFUSED; try again later$/,
    );
  });

  it('gives up at once when Retry-After asks for more than the budget left', async () => {
    server.respondWith([{ status: 429, retryAfter: 120 }]);
    const { mailer, sleeps } = sendGridMailerFor(server, { retryBudgetMs: 60_000 });

    const error = await failureOf(mailer.send(alertEmail()));

    expect(error).toMatchObject({ status: 429, retryable: true, attempts: 1, details: ['too many requests'] });
    expect(sleeps).toEqual([]);
  });

  it(`splits 2,500 recipients into requests of at most ${MAX_RECIPIENTS_PER_REQUEST}`, async () => {
    const { mailer } = sendGridMailerFor(server);
    const to = recipients(2_500);

    const receipt = await mailer.send(alertEmail({ to }));

    expect(receipt.requests).toBe(3);
    expect(receipt.messageIds).toHaveLength(3);
    const sent = server.requests.map(
      (r) => (r.body as { personalizations: { to: { email: string }[] }[] }).personalizations,
    );
    expect(sent.map((p) => p.length)).toEqual([1000, 1000, 500]);
    expect(sent.flat().map((p) => p.to.map((t) => t.email))).toEqual(to.map((address) => [address]));
    expect(server.requests.every((r) => r.status === 202)).toBe(true);
  });

  it('refuses an e-mail without recipients before calling SendGrid', async () => {
    const { mailer } = sendGridMailerFor(server);

    const error = await failureOf(mailer.send(alertEmail({ to: [] })));

    expect(error).toMatchObject({ retryable: false, attempts: 0 });
    expect(server.requests).toEqual([]);
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
