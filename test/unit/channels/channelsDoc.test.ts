import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type ChannelReceiver, startChannelReceiver } from '../../../scripts/channelReceivers';
import { signedWebhookSender } from '../../../shared/adapters/channels/signedWebhookSender';
import { webhookRequest } from '../../../shared/core/channels/webhookPayload';
import { notice } from './channelHelpers';

type Verify = (rawBody: Buffer, headers: Record<string, string | undefined>, secret: string, now?: number) => boolean;

const SECRET = 'doc-snippet-secret-0123456789';
const CLOCK = Date.UTC(2024, 2, 5, 13, 10);

/** The Node snippet of docs/CHANNELS.md "Verifying a request", as a reader would paste it. */
function documentedVerifier(): Verify {
  const doc = readFileSync(join(__dirname, '../../../docs/CHANNELS.md'), 'utf8');
  const code = /### Verifying a request[\s\S]*?```js\n([\s\S]*?)```/.exec(doc)?.[1];
  if (code === undefined) throw new Error('docs/CHANNELS.md has no js snippet under "Verifying a request"');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the documented snippet is the code under test
  const load = new Function('require', `${code}\nreturn verifyAlertRequest;`) as (load: NodeRequire) => Verify;
  return load(require);
}

let receiver: ChannelReceiver;
beforeEach(async () => {
  receiver = await startChannelReceiver({ secrets: { OPS: SECRET }, now: () => CLOCK });
});
afterEach(async () => {
  await receiver.close();
});

describe('the verification snippet of docs/CHANNELS.md', () => {
  it("accepts the sender's request and refuses it changed, re-timed, stale or under another secret", async () => {
    // Arrange: a request as the sender makes it, captured by the receiver
    const clock = CLOCK;
    await signedWebhookSender({
      name: 'OPS',
      url: `${receiver.url}/webhook/OPS`,
      secret: SECRET,
      now: () => clock,
    }).send(webhookRequest(notice()));
    const request = receiver.received[0];
    if (request === undefined) throw new Error('no request received');
    const raw = Buffer.from(request.body, 'utf8');
    const headers = request.headers as Record<string, string>;
    const now = Math.floor(clock / 1000);
    const verify = documentedVerifier();

    // Act + Assert
    expect(verify(raw, headers, SECRET, now)).toBe(true);
    expect(verify(Buffer.from(request.body.replace('FIRING', 'RESOLVED')), headers, SECRET, now)).toBe(false);
    expect(verify(raw, { ...headers, 'x-alert-timestamp': String(now + 1) }, SECRET, now)).toBe(false);
    expect(verify(raw, headers, SECRET, now + 301)).toBe(false);
    expect(verify(raw, headers, `${SECRET}x`, now)).toBe(false);
    expect(verify(raw, { ...headers, 'x-alert-signature': undefined }, SECRET, now)).toBe(false);
  });
});
