import {
  type FakeSendGrid,
  type ReceivedRequest,
  sendGridMailerFor,
  startFakeSendGrid,
} from '../../../scripts/fakeSendGrid';
import { MAX_RECIPIENTS_PER_REQUEST, recipientBatches } from '../../../shared/adapters/mail/sendGridMailer';
import { MailSendError } from '../../../shared/core/mail/mailSendError';
import { alertEmail, failureOf, recipients } from './mailHelpers';

let server: FakeSendGrid;

beforeEach(async () => {
  server = await startFakeSendGrid();
});

afterEach(async () => {
  await server.close();
});

/** How many accepted copies each address got, over every request SendGrid answered 202. */
function copiesPerAddress(requests: readonly ReceivedRequest[]): Map<string, number> {
  const copies = new Map<string, number>();
  for (const request of requests.filter((r) => r.status === 202)) {
    const { personalizations } = request.body as { personalizations: { to: { email: string }[] }[] };
    for (const address of personalizations.flatMap((p) => p.to.map((t) => t.email))) {
      copies.set(address, (copies.get(address) ?? 0) + 1);
    }
  }
  return copies;
}

describe('recipientBatches', () => {
  it.each([
    [1, [1]],
    [1000, [1000]],
    [1001, [1000, 1]],
    [2500, [1000, 1000, 500]],
  ])('cuts %i recipients into slices of %j', (n, sizes) => {
    const to = recipients(n);

    const batches = recipientBatches(to);

    expect(batches.map((b) => b.length)).toEqual(sizes);
    expect(batches.flat()).toEqual(to);
  });
});

describe('SendGridMailer recipient batches', () => {
  it('reports every batch it got accepted', async () => {
    const { mailer } = sendGridMailerFor(server);

    const receipt = await mailer.send(alertEmail({ to: recipients(2_500) }));

    expect(receipt).toMatchObject({ requests: 3, acceptedBatches: [0, 1, 2] });
  });

  it('names batch 1 as accepted when batch 2 fails, and a retry skipping it sends only batch 2', async () => {
    // Arrange: batch 1 goes through, then SendGrid answers 503 until the budget is spent
    const to = recipients(1_500);
    server.respondWith([{ status: 202 }]);
    server.respondAlwaysWith({ status: 503 });
    const { mailer } = sendGridMailerFor(server, { retryBudgetMs: 5_000 });

    // Act
    const error = await failureOf(mailer.send(alertEmail({ to })));
    server.respondAlwaysWith(undefined);
    const receipt = await mailer.send(alertEmail({ to }), { skipBatches: new Set(error.acceptedBatches) });

    // Assert
    expect(error).toMatchObject({ retryable: true, status: 503, acceptedBatches: [0] });
    expect(error.message).toMatch(/^SendGrid mail\/send for batch 2 of 2, 500 recipients failed \d+ times/);
    expect(receipt).toMatchObject({ requests: 1, acceptedBatches: [1] });
    const copies = copiesPerAddress(server.requests);
    expect(to.every((address) => copies.get(address) === 1)).toBe(true);
    expect(copies.size).toBe(to.length);
  });

  it('gives each recipient exactly one copy over five host retries while batch 2 keeps failing', async () => {
    // Arrange: SendGrid takes the first request of each invocation, then refuses for the rest of it
    const to = recipients(2_500);
    const { mailer } = sendGridMailerFor(server, { retryBudgetMs: 3_000 });
    const accepted = new Set<number>();

    // Act: what the ledger does between retries, remembering what each try got accepted
    for (let invocation = 0; invocation < 5; invocation++) {
      server.respondWith([{ status: 202 }]);
      server.respondAlwaysWith({ status: 500 });
      const outcome = await mailer.send(alertEmail({ to }), { skipBatches: accepted }).then(
        (receipt) => receipt.acceptedBatches,
        (error: unknown) => (error instanceof MailSendError ? error.acceptedBatches : []),
      );
      for (const index of outcome) accepted.add(index);
    }

    // Assert
    expect([...accepted].sort()).toEqual([0, 1, 2]);
    const copies = copiesPerAddress(server.requests);
    expect(to.every((address) => copies.get(address) === 1)).toBe(true);
  });

  it('names no batch as accepted when the first one fails', async () => {
    server.respondWith([{ status: 400 }]);
    const { mailer } = sendGridMailerFor(server);

    const error = await failureOf(mailer.send(alertEmail({ to: recipients(1_500) })));

    expect(error.acceptedBatches).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('skips a batch in the middle and sends the others in order', async () => {
    const to = recipients(2_500);
    const { mailer } = sendGridMailerFor(server);

    const receipt = await mailer.send(alertEmail({ to }), { skipBatches: new Set([1]) });

    expect(receipt.acceptedBatches).toEqual([0, 2]);
    const sent = server.requests.map((r) => (r.body as { personalizations: unknown[] }).personalizations.length);
    expect(sent).toEqual([MAX_RECIPIENTS_PER_REQUEST, 500]);
    expect(copiesPerAddress(server.requests).has(to[1000] as string)).toBe(false);
  });

  it('sends nothing when every batch was already accepted, and ignores indices past the last', async () => {
    const { mailer } = sendGridMailerFor(server);

    const receipt = await mailer.send(alertEmail({ to: recipients(1_200) }), { skipBatches: new Set([0, 1, 7]) });

    expect(receipt).toEqual({ provider: 'sendgrid', requests: 0, messageIds: [], acceptedBatches: [] });
    expect(server.requests).toEqual([]);
  });
});
