import fc from 'fast-check';

import {
  type CannedResponse,
  type FakeSendGrid,
  sendGridMailerFor,
  startFakeSendGrid,
} from '../../../scripts/fakeSendGrid';
import {
  MAX_RETRY_WAIT_MS,
  MIN_RETRY_WAIT_MS,
  retryWaitMs,
  type SendGridFailure,
} from '../../../shared/adapters/mail/sendGridFailure';
import { MailSendError } from '../../../shared/core/mail/mailSendError';
import { alertEmail } from './mailHelpers';

const rateLimited = (waitMs?: number): SendGridFailure => ({
  status: 429,
  retryable: true,
  details: [],
  description: '429 Too Many Requests',
  ...(waitMs === undefined ? {} : { waitMs }),
});
const backoff = { baseMs: 1000, maxMs: 10_000, random: () => 0.5 };

describe('retryWaitMs', () => {
  it.each([
    ['Retry-After 0', 0, 60_000, MIN_RETRY_WAIT_MS],
    ['a wait in the past', -5_000, 60_000, MIN_RETRY_WAIT_MS],
    ['7 s', 7_000, 60_000, 7_000],
    ['45 s, past the ceiling but within the budget', 45_000, 60_000, MAX_RETRY_WAIT_MS],
    ['120 s, more than the budget left', 120_000, 60_000, undefined],
    ['an infinite wait', Infinity, 60_000, undefined],
    ['NaN', NaN, 60_000, undefined],
    ['0 with less budget left than the floor', 0, 800, undefined],
  ])('for %s (asked %p ms, %p ms left) waits %p ms', (_, asked, left, expected) => {
    expect(retryWaitMs(rateLimited(asked), 1, left, backoff)).toBe(expected);
  });

  it('never retries a permanent failure', () => {
    const failure: SendGridFailure = { status: 400, retryable: false, details: [], description: '400 Bad Request' };

    expect(retryWaitMs(failure, 1, 60_000, backoff)).toBeUndefined();
  });

  it('backs off from the floor, the jitter spread up to a cap that doubles per attempt', () => {
    const waits = [1, 2, 3, 4, 5, 6].map((attempt) =>
      retryWaitMs(rateLimited(), attempt, 1e9, { ...backoff, random: () => 0.5 }),
    );

    expect(waits).toEqual([1000, 1500, 2500, 4500, 5500, 5500]);
  });

  it('keeps every wait between the floor and the ceiling, whatever the attempt, the jitter or SendGrid asks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.option(fc.double({ noNaN: false }), { nil: undefined }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (attempt, random, asked, baseMs, maxMs) => {
          const wait = retryWaitMs(rateLimited(asked), attempt, 1e12, { baseMs, maxMs, random: () => random });
          return wait === undefined || (wait >= MIN_RETRY_WAIT_MS && wait <= MAX_RETRY_WAIT_MS);
        },
      ),
    );
  });
});

describe('SendGridMailer waits', () => {
  let server: FakeSendGrid;

  beforeEach(async () => {
    server = await startFakeSendGrid();
  });

  afterEach(async () => {
    await server.close();
  });

  const start = Date.UTC(2024, 2, 5, 13, 0, 0);
  it.each<[string, CannedResponse, number[]]>([
    ['Retry-After: 0', { status: 429, retryAfter: 0 }, [MIN_RETRY_WAIT_MS]],
    ['a negative Retry-After', { status: 429, retryAfter: -30 }, [MIN_RETRY_WAIT_MS]],
    [
      'a Retry-After date in the past',
      { status: 429, retryAfter: new Date(start - 60_000).toUTCString() },
      [MIN_RETRY_WAIT_MS],
    ],
    ['an X-RateLimit-Reset in the past', { status: 429, rateLimitReset: start / 1000 - 3600 }, [MIN_RETRY_WAIT_MS]],
    ['an X-RateLimit-Reset 45 s ahead', { status: 429, rateLimitReset: start / 1000 + 45 }, [MAX_RETRY_WAIT_MS]],
    ['Retry-After: 0 on a 503', { status: 503, retryAfter: 0 }, [MIN_RETRY_WAIT_MS]],
  ])('waits within the floor and the ceiling after %s', async (_, answer, expected) => {
    server.respondWith([answer]);
    const { mailer, sleeps } = sendGridMailerFor(server);

    const receipt = await mailer.send(alertEmail());

    expect(receipt.requests).toBe(2);
    expect(sleeps).toEqual(expected);
  });

  it.each<[string, CannedResponse]>([
    ['an X-RateLimit-Reset decades ahead', { status: 429, rateLimitReset: start / 1000 + 1e9 }],
    ['an absurd X-RateLimit-Reset', { status: 429, rateLimitReset: 1e308 }],
    ['a Retry-After of 3 years', { status: 429, retryAfter: 100_000_000 }],
  ])('gives up at once, retryable, after %s', async (_, answer) => {
    server.respondWith([answer]);
    const { mailer, sleeps } = sendGridMailerFor(server);

    const error = await mailer.send(alertEmail()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MailSendError);
    expect(error).toMatchObject({ retryable: true, status: 429, attempts: 1 });
    expect(sleeps).toEqual([]);
  });

  it.each<[string, CannedResponse]>([
    ['Retry-After: 0', { status: 429, retryAfter: 0 }],
    ['an X-RateLimit-Reset in the past', { status: 429, rateLimitReset: 1 }],
  ])('makes a bounded number of requests within the budget when every answer is a 429 with %s', async (_, answer) => {
    server.respondAlwaysWith(answer);
    const budget = 10_000;
    const { mailer, sleeps } = sendGridMailerFor(server, { retryBudgetMs: budget });

    const error = await mailer.send(alertEmail()).catch((e: unknown) => e);

    expect(error).toMatchObject({ retryable: true, status: 429 });
    expect(server.requests.length).toBeLessThanOrEqual(budget / MIN_RETRY_WAIT_MS + 1);
    expect(sleeps.every((ms) => ms >= MIN_RETRY_WAIT_MS)).toBe(true);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(budget);
  });
});
