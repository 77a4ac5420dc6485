import { createMailer, type MailerSettings } from '../../../shared/adapters/mail/createMailer';
import { OutboxMailer } from '../../../shared/adapters/mail/outboxMailer';
import { SendGridMailer } from '../../../shared/adapters/mail/sendGridMailer';
import { ConfigError } from '../../../shared/core/errors';

describe('createMailer', () => {
  it.each<[string, MailerSettings, typeof OutboxMailer | typeof SendGridMailer]>([
    ['sendgrid with an API key', { transport: 'sendgrid', sendGridApiKey: 'SG.key' }, SendGridMailer],
    [
      'sendgrid with an API key and an outbox folder',
      { transport: 'sendgrid', sendGridApiKey: 'SG.key', outboxDir: './mail' },
      SendGridMailer,
    ],
    ['outbox with nothing else', { transport: 'outbox' }, OutboxMailer],
    ['outbox with an API key', { transport: 'outbox', sendGridApiKey: 'SG.key' }, OutboxMailer],
  ])('given %s, picks the mailer the transport names', (_, settings, kind) => {
    expect(createMailer(settings)).toBeInstanceOf(kind);
  });

  it.each(['', '  ', undefined])(
    'refuses sendgrid with the API key %j instead of writing files nobody reads',
    (key) => {
      expect(() => createMailer({ transport: 'sendgrid', sendGridApiKey: key })).toThrow(ConfigError);
    },
  );
});
