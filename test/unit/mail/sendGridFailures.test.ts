import {
  type CannedResponse,
  type FakeSendGrid,
  sendGridMailerFor,
  startFakeSendGrid,
} from '../../../scripts/fakeSendGrid';
import { classifySendGridFailure } from '../../../shared/adapters/mail/sendGridFailure';
import { alertEmail, failureOf } from './mailHelpers';

let server: FakeSendGrid;

beforeEach(async () => {
  server = await startFakeSendGrid();
});

afterEach(async () => {
  await server.close();
});

describe('SendGridMailer permanent and retryable failures', () => {
  it.each([
    [400, 'The from address does not match a verified Sender Identity.'],
    [401, 'The provided authorization grant is invalid, expired, or revoked'],
    [403, 'access forbidden'],
    [404, 'resource not found'],
    [408, 'request timeout'],
    [413, 'The JSON payload you have included in your request is too large.'],
  ])('makes one request and fails for good on a %i, with SendGrid message', async (status, message) => {
    server.respondAlwaysWith({ status, errors: [{ message, field: null, help: null }] });
    const { mailer, sleeps } = sendGridMailerFor(server);

    const error = await failureOf(mailer.send(alertEmail()));

    expect(error).toMatchObject({ status, retryable: false, attempts: 1, details: [message] });
    expect(error.message).toContain(message);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it.each<[string, CannedResponse]>([
    ['a 429', { status: 429 }],
    ['a 500', { status: 500 }],
    ['a 502', { status: 502 }],
    ['a 503', { status: 503 }],
    ['a dropped connection', { hangUp: true }],
  ])('keeps retrying a %s until the budget is spent, then fails retryable', async (_, answer) => {
    server.respondAlwaysWith(answer);
    const { mailer } = sendGridMailerFor(server, { retryBudgetMs: 5_000 });

    const error = await failureOf(mailer.send(alertEmail()));

    expect(error.retryable).toBe(true);
    expect(error.attempts).toBeGreaterThan(1);
    expect(server.requests).toHaveLength(error.attempts);
  });
});

describe('classifySendGridFailure', () => {
  const networkError = (code: string): Error => Object.assign(new Error(code), { code });

  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'ETIMEDOUT',
    'ECONNABORTED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ERR_NETWORK',
    'ERR_BAD_RESPONSE',
  ])('retries the network error %s', (code) => {
    expect(classifySendGridFailure(networkError(code), 0)).toEqual({ retryable: true, details: [], description: code });
  });

  it('does not retry an error it does not know, like a bad option', () => {
    expect(classifySendGridFailure(networkError('ERR_BAD_OPTION_VALUE'), 0).retryable).toBe(false);
  });

  it('reads the wait a 503 asks for, not only a 429', () => {
    const error = Object.assign(new Error('Service Unavailable'), {
      code: 503,
      response: { headers: { 'retry-after': '4' }, body: '' },
    });

    expect(classifySendGridFailure(error, 0)).toMatchObject({ status: 503, retryable: true, waitMs: 4000 });
  });
});
