import { muteCommand, shellWord } from '../../../shared/core/mail/muteCommand';
import { heldLine, type WhyInput, whySentence } from '../../../shared/core/mail/whySentence';
import { zonedClock } from '../../../shared/core/mail/zonedTime';

const BASE: WhyInput = { table: 'requests', count: 12, sampled: false, windowMinutes: 10, threshold: 5, group: {} };

describe('whySentence', () => {
  it.each<[string, Partial<WhyInput>, string]>([
    [
      'a windowed rule, for its group',
      { group: { cloud_RoleName: 'Contoso.Api' } },
      '12 requests matched in 10 minutes (threshold 5) for cloud_RoleName = Contoso.Api.',
    ],
    [
      'a rule counted per delivery',
      { count: 3, windowMinutes: 0, threshold: 1 },
      '3 requests matched in one delivery (threshold 1).',
    ],
    ['one match', { count: 1, windowMinutes: 1, threshold: 1 }, '1 request matched in 1 minute (threshold 1).'],
    [
      'sampled telemetry',
      { count: 50, sampled: true, windowMinutes: 0, threshold: 50 },
      '50 requests (sum of itemCount, sampled telemetry) matched in one delivery (threshold 50).',
    ],
    [
      'several GroupBy values',
      { table: 'exceptions', count: 2, group: { tenant: 'acme', region: 'eu' } },
      '2 exceptions matched in 10 minutes (threshold 5) for tenant = acme, region = eu.',
    ],
    ['another table', { table: 'dependencies', count: 1 }, '1 dependency call matched in 10 minutes (threshold 5).'],
    ['custom events', { table: 'customEvents', count: 7 }, '7 custom events matched in 10 minutes (threshold 5).'],
  ])('says why %s fired', (_, input, expected) => {
    expect(whySentence({ ...BASE, ...input })).toBe(expected);
  });

  it('keeps a hostile group value to one cut line of text', () => {
    const sentence = whySentence({ ...BASE, group: { 'k\nX-Evil': `<b>${'v'.repeat(10_000)}\r\n` } });

    expect(sentence).toMatch(/^12 requests matched in 10 minutes \(threshold 5\) for k X-Evil = <b>v+…\[cut\]\.$/);
    expect(sentence.length).toBeLessThan(300);
  });
});

describe('heldLine', () => {
  const clock = zonedClock('Europe/Berlin');
  const since = Date.UTC(2024, 2, 5, 12, 50);

  it.each<[string, Parameters<typeof heldLine>, string]>([
    [
      'throttled matches, since when',
      [{ rows: 3, weighted: 3, since }, 'throttled', clock],
      '3 more matches came in while the alert was throttled, since 13:50 CET; no e-mail was sent for them.',
    ],
    [
      'sampled throttled matches',
      [{ rows: 1, weighted: 4, since }, 'throttled', clock],
      '1 more match (sum of itemCount 4) came in while the alert was throttled, since 13:50 CET; no e-mail was sent for them.',
    ],
    [
      'muted matches without a start',
      [{ rows: 2, weighted: 2 }, 'muted', clock],
      '2 more matches came in while the rule was muted; no e-mail was sent for them.',
    ],
  ])('says %s', (_, args, expected) => {
    expect(heldLine(...args)).toBe(expected);
  });
});

describe('muteCommand', () => {
  it('names the rule and its scope', () => {
    expect(muteCommand({ scope: 'shop-prod', id: 'checkout-5xx' })).toBe(
      'npx export-alerts rules mute checkout-5xx --scope shop-prod --for 2h',
    );
  });

  it.each([
    ['*', "'*'"],
    ['shop prod', "'shop prod'"],
    ["it's", "'it'\\''s'"],
    ['$(rm -rf ~)', "'$(rm -rf ~)'"],
    ['a;b|c&d', "'a;b|c&d'"],
    ['/subscriptions/x/resourceGroups/y', '/subscriptions/x/resourceGroups/y'],
  ])('quotes %j for a shell as %s', (word, quoted) => {
    expect(shellWord(word)).toBe(quoted);
  });
});
