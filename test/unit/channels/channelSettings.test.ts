import { channelTarget, readChannelSettings } from '../../../shared/adapters/settings/channelSettings';
import { checkConfig } from '../../../shared/adapters/settings/config';

type Env = Record<string, string>;

const TEAMS_URL =
  'https://prod-12.westus.logic.azure.com:443/workflows/abc123/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SigSecret0123456789';
const SLACK_URL = 'https://hooks.slack.com/services/T0001/B0002/xoxSecretToken123';
const HOOK_URL = 'https://pager.example.com/hooks/aa11bb22cc33';
const SECRET = 'test-webhook-secret-0123456789';

function read(env: Env): { targets: ReturnType<typeof readChannelSettings>['targets']; problems: string[] } {
  const problems: string[] = [];
  const { targets } = readChannelSettings(env, problems);
  return { targets, problems };
}

describe('readChannelSettings', () => {
  it('reads every kind, with the webhook secret beside its URL', () => {
    // Act
    const { targets, problems } = read({
      TEAMS_WEBHOOK_OPS: TEAMS_URL,
      SLACK_WEBHOOK_OPS: ` ${SLACK_URL} `,
      WEBHOOK_URL_PAGER: HOOK_URL,
      WEBHOOK_SECRET_PAGER: SECRET,
      TEAMS_WEBHOOK_PARKED: '',
    });

    // Assert
    expect(problems).toEqual([]);
    expect(targets).toEqual([
      { kind: 'slack', name: 'OPS', url: SLACK_URL },
      { kind: 'teams', name: 'OPS', url: TEAMS_URL },
      { kind: 'webhook', name: 'PAGER', url: HOOK_URL, secret: SECRET },
    ]);
    expect(channelTarget({ targets }, { kind: 'teams', name: 'OPS' })?.url).toBe(TEAMS_URL);
    expect(channelTarget({ targets }, { kind: 'teams', name: 'ops' })).toBeUndefined();
  });

  it.each(['http://localhost:7072/teams/LOCAL', 'http://127.0.0.1:7072/teams/LOCAL', 'http://[::1]:7072/teams/LOCAL'])(
    'takes http:// to this machine for local receivers: %s',
    (url) => {
      expect(read({ TEAMS_WEBHOOK_LOCAL: url }).problems).toEqual([]);
    },
  );

  it('reports every problem together, naming the setting and never the path, query or secret', () => {
    // Act
    const { targets, problems } = read({
      TEAMS_WEBHOOK_PLAIN: 'http://prod-12.westus.logic.azure.com/workflows/abc123?sig=SigSecret0123456789',
      TEAMS_WEBHOOK_COPIED: TEAMS_URL.replace(/&/g, '&amp;'),
      SLACK_WEBHOOK_GARBLED: 'hooks.slack.com/services/T0001/B0002/xoxSecretToken123',
      'SLACK_WEBHOOK_BAD-NAME': SLACK_URL,
      WEBHOOK_URL_NOSECRET: HOOK_URL,
      WEBHOOK_URL_SHORT: HOOK_URL,
      WEBHOOK_SECRET_SHORT: 'short',
      WEBHOOK_SECRET_ORPHAN: SECRET,
      WEBHOOK_URL_CREDS: 'https://user:pw0123456@pager.example.com/x',
    });

    // Assert
    expect(targets.map((t) => `${t.kind}:${t.name}`)).toEqual(['webhook:NOSECRET', 'webhook:SHORT']);
    expect(problems).toEqual([
      'TEAMS_WEBHOOK_PLAIN must be an https:// URL (http:// only to localhost or 127.0.0.1), found http://prod-12.westus.logic.azure.com/…',
      "TEAMS_WEBHOOK_COPIED holds '&amp;' (https://prod-12.westus.logic.azure.com/…): it was copied from HTML; replace each &amp; with &",
      'SLACK_WEBHOOK_GARBLED must be an https:// URL, found something else (value not shown: it is a secret)',
      "SLACK_WEBHOOK_BAD-NAME: 'BAD-NAME' is not a channel name; use letters, digits and _ after SLACK_WEBHOOK_",
      'WEBHOOK_SECRET_SHORT must be at least 16 characters without spaces (value not shown: it is a secret)',
      'WEBHOOK_URL_CREDS must not carry a user name or password, found one in https://pager.example.com/…',
      'WEBHOOK_URL_NOSECRET is set but WEBHOOK_SECRET_NOSECRET is not: every generic webhook is signed (docs/CHANNELS.md)',
      'WEBHOOK_SECRET_ORPHAN is set but WEBHOOK_URL_ORPHAN is not: a secret for no webhook',
    ]);
    for (const secret of [
      'SigSecret0123456789',
      'xoxSecretToken123',
      '/workflows/abc123',
      '/hooks/',
      SECRET,
      'short',
      'pw0123456',
    ]) {
      expect(problems.join('\n')).not.toContain(secret);
    }
  });

  it('fails checkConfig with the channel problems among the others', () => {
    const checked = checkConfig({ WEBHOOK_URL_PAGER: HOOK_URL, RULES_CACHE_SECONDS: 'soon' });
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.error.problems).toEqual([
      "RULES_CACHE_SECONDS must be a positive whole number, found 'soon'",
      'WEBHOOK_URL_PAGER is set but WEBHOOK_SECRET_PAGER is not: every generic webhook is signed (docs/CHANNELS.md)',
    ]);
  });
});
