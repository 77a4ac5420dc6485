import { createMailer } from '../../../shared/mail/createMailer';
import { OutboxMailer } from '../../../shared/mail/outboxMailer';
import { SendGridMailer } from '../../../shared/mail/sendGridMailer';

describe('createMailer', () => {
  it.each([
    ['an API key', { sendGridApiKey: 'SG.key' }, SendGridMailer],
    ['nothing', {}, OutboxMailer],
    ['a blank API key', { sendGridApiKey: '  ' }, OutboxMailer],
    ['an outbox folder and an API key', { sendGridApiKey: 'SG.key', outboxDir: './mail' }, OutboxMailer],
    ['a blank outbox folder and an API key', { sendGridApiKey: 'SG.key', outboxDir: '' }, SendGridMailer],
  ])('given %s, picks the right mailer', (_, settings, kind) => {
    expect(createMailer(settings)).toBeInstanceOf(kind);
  });
});
