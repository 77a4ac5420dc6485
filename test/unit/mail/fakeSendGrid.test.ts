import { type FakeSendGrid, startFakeSendGrid, validateMailSend } from '../../../scripts/fakeSendGrid';

const valid = {
  from: { email: 'alerts@example.com' },
  subject: 'Hello',
  personalizations: [{ to: [{ email: 'a@example.com' }] }],
  content: [{ type: 'text/plain', value: 'hi' }],
};
const to = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => ({ email: `u${i + offset}@example.com` }));

describe('validateMailSend', () => {
  it('accepts a minimal valid body', () => {
    expect(validateMailSend(valid)).toEqual([]);
  });

  it.each([
    ['no from', { ...valid, from: undefined }, 'from'],
    ['no subject', { ...valid, subject: '' }, 'subject'],
    ['no content', { ...valid, content: [] }, 'content'],
    ['no personalizations', { ...valid, personalizations: [] }, 'personalizations'],
    ['1,001 personalizations', { ...valid, personalizations: to(1001).map((t) => ({ to: [t] })) }, 'personalizations'],
    ['1,001 recipients in one personalization', { ...valid, personalizations: [{ to: to(1001) }] }, 'personalizations'],
    [
      'an address twice',
      { ...valid, personalizations: [{ to: to(1) }, { to: to(1) }] },
      'personalizations.1.to.0.email',
    ],
    ['a number in custom_args', { ...valid, custom_args: { n: 1 } }, 'custom_args'],
    ['10 kB of custom_args', { ...valid, custom_args: { big: 'x'.repeat(10_000) } }, 'custom_args'],
  ])('rejects %s', (_, body, field) => {
    expect(validateMailSend(body).map((e) => e.field)).toContain(field);
  });
});

describe('fake SendGrid server', () => {
  let server: FakeSendGrid;
  beforeEach(async () => {
    server = await startFakeSendGrid();
  });
  afterEach(async () => {
    await server.close();
  });

  const post = (body: unknown, key = server.apiKey) =>
    fetch(`${server.url}v3/mail/send`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers 202 with an empty body and an X-Message-Id, and records the request', async () => {
    const response = await post(valid);

    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    expect(response.headers.get('x-message-id')).toBeTruthy();
    expect(server.requests).toMatchObject([{ method: 'POST', path: '/v3/mail/send', body: valid, status: 202 }]);
  });

  it('answers 401 with SendGrid error body for a wrong key', async () => {
    const response = await post(valid, 'SG.other');

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [
        { message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null },
      ],
    });
  });

  it('answers 400 listing every problem of the body', async () => {
    const response = await post({ ...valid, subject: undefined, content: undefined });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field)).toEqual(['subject', 'content']);
  });

  it('plays scripted answers in order, then goes back to 202', async () => {
    server.respondWith([{ status: 429, retryAfter: 3 }, { status: 500 }]);

    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const response = await post(valid);
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }

    expect(statuses).toEqual([429, 500, 202]);
    expect(retryAfter).toBe('3');
  });

  it('keeps a standing answer once the queue is empty, until it is cleared', async () => {
    server.respondWith([{ status: 500 }]);
    server.respondAlwaysWith({ status: 429, retryAfter: 0 });

    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(valid)).status);
    server.respondAlwaysWith(undefined);
    statuses.push((await post(valid)).status);

    expect(statuses).toEqual([500, 429, 429, 202]);
  });

  it('trickles a body a byte at a time after sending the headers at once', async () => {
    server.respondWith([{ status: 202, trickle: { bytes: 5, intervalMs: 1 } }]);

    const response = await post(valid);
    const body = await response.text();
    await server.requests[0]?.closed;

    expect(response.status).toBe(202);
    expect(response.headers.get('content-length')).toBe('5');
    expect(body).toBe('     ');
    expect(server.requests[0]?.closedByClient).toBe(false);
  });

  it('notes a client that closes the connection before the answer is complete', async () => {
    server.respondWith([{ status: 202, trickle: { bytes: 100_000, intervalMs: 10 } }]);
    const controller = new AbortController();

    const response = await fetch(`${server.url}v3/mail/send`, {
      method: 'POST',
      body: '{}',
      signal: controller.signal,
    });
    controller.abort();
    await server.requests[0]?.closed;

    expect(response.status).toBe(202);
    expect(server.requests[0]?.closedByClient).toBe(true);
  });
});
