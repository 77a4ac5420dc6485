import { type FakeSendGrid, sendGridMailerFor, startFakeSendGrid } from '../../../scripts/fakeSendGrid';
import { MailSendError } from '../../../shared/core/mail/mailSendError';
import { alertEmail } from './mailHelpers';

// Short real deadlines; the trickles below would keep an answer open for minutes. If a deadline were
// not enforced, a send would stay pending and the test would fail on this timeout, not on a duration.
const GUARD_MS = 15_000;
const TRICKLE = { bytes: 10_000, intervalMs: 20 };

let server: FakeSendGrid;

beforeEach(async () => {
  server = await startFakeSendGrid();
});

afterEach(async () => {
  await server.close();
});

describe('SendGridMailer attempt deadline', () => {
  it(
    'cuts off an answer that trickles its body, closes the connection and retries',
    async () => {
      // Arrange: headers at once, then one byte every 20 ms: a socket-idle timeout never fires. The
      // deadline also bounds the second, healthy attempt, so it is long enough for a loaded CI machine
      // (300 ms once cut off a healthy answer there).
      server.respondWith([{ status: 500, trickle: TRICKLE }]);
      const { mailer, sleeps } = sendGridMailerFor(server, { requestTimeoutMs: 2_000 });

      // Act
      const receipt = await mailer.send(alertEmail());

      // Assert
      expect(receipt.requests).toBe(2);
      expect(sleeps).toHaveLength(1);
      await server.requests[0]?.closed;
      expect(server.requests.map((r) => r.closedByClient)).toEqual([true, false]);
    },
    GUARD_MS,
  );

  it(
    'never outlives the retry budget when it is shorter than the request timeout',
    async () => {
      // Arrange: a real clock, so the time an attempt takes counts against the budget
      server.respondAlwaysWith({ status: 202, trickle: TRICKLE });
      const { mailer } = sendGridMailerFor(server, { requestTimeoutMs: 10_000, retryBudgetMs: 400, now: Date.now });

      // Act
      const error = await mailer.send(alertEmail()).catch((e: unknown) => e);

      // Assert
      expect(error).toBeInstanceOf(MailSendError);
      expect(error).toMatchObject({ retryable: true, attempts: 1, status: undefined });
      expect((error as MailSendError).message).toMatch(
        /last: no complete answer within \d+ ms \(timeout\); try again later$/,
      );
      await server.requests[0]?.closed;
      expect(server.requests[0]?.closedByClient).toBe(true);
    },
    GUARD_MS,
  );

  it(
    'gives up within the budget when every attempt trickles, each cut off by its deadline',
    async () => {
      // Arrange: waits are skipped but counted, on top of real time spent in attempts
      let slept = 0;
      server.respondAlwaysWith({ status: 500, trickle: TRICKLE });
      const { mailer } = sendGridMailerFor(server, {
        requestTimeoutMs: 300,
        retryBudgetMs: 3_000,
        now: () => Date.now() + slept,
        sleep: (ms) => {
          slept += ms;
          return Promise.resolve();
        },
      });

      // Act
      const error = await mailer.send(alertEmail()).catch((e: unknown) => e);

      // Assert
      expect(error).toMatchObject({ retryable: true });
      expect((error as MailSendError).attempts).toBe(server.requests.length);
      await Promise.all(server.requests.map((r) => r.closed));
      expect(server.requests.every((r) => r.closedByClient)).toBe(true);
    },
    GUARD_MS,
  );
});
