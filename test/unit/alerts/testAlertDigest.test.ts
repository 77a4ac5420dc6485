import { TEST_VALUE, testAlertDigest } from '../../../shared/core/alerts/testAlertDigest';
import { composeAlertEmail, TEST_NOTE } from '../../../shared/core/mail/composeAlertEmail';
import { DEFAULT_NOTICE_SETTINGS } from '../../../shared/core/mail/noticeSettings';
import { compileRule, type RuleEntity } from '../../../shared/core/rules/alertRule';

// Issue 15 §1: the digest `alerts send-test` sends, and how its e-mail says it is a test.

const NOW = new Date(Date.UTC(2024, 2, 5, 13, 10, 30));

function rule(overrides: Partial<RuleEntity> = {}) {
  const compiled = compileRule({
    partitionKey: 'shop-prod',
    rowKey: 'checkout-5xx',
    Query: 'requests | where toint(resultCode) >= 500',
    Recipients: 'oncall@example.com',
    Severity: 1,
    ...overrides,
  });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.error));
  return compiled.value;
}

describe('testAlertDigest', () => {
  it('fires on exactly the threshold in the rule’s window, one made-up event at now with (test) in each GroupBy column', () => {
    // Arrange
    const windowed = rule({ Threshold: 5, WindowMinutes: 10, GroupBy: 'cloud_RoleName, customDimensions.tenant' });

    // Act
    const digest = testAlertDigest(windowed, NOW, 'test-1', DEFAULT_NOTICE_SETTINGS);

    // Assert
    expect(digest).toMatchObject({
      test: true,
      ledgerKey: 'test-1',
      matched: { rows: 5, weighted: 5 },
      window: { minutes: 10, weighted: 5, threshold: 5 },
      group: {
        label: 'cloud_RoleName=(test), customDimensions.tenant=(test)',
        values: { cloud_RoleName: TEST_VALUE, 'customDimensions.tenant': TEST_VALUE },
      },
      firstEventAt: NOW,
      lastEventAt: NOW,
    });
    expect(digest.events).toEqual([
      {
        table: 'requests',
        columns: { timestamp: NOW, itemCount: 1, cloud_RoleName: '(test)', customDimensions: { tenant: '(test)' } },
        raw: {},
      },
    ]);
  });

  it.each([
    ['shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'shop-prod', 'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0'],
    ['shop-prod', 'shop-prod', '(test)'],
    ['*', '(test)', '(test)'],
    ['/subscriptions/s/resourceGroups/rg/providers/microsoft.insights/components/shop-api', 'shop-api', '(test)'],
  ])('names the app of scope %s as %s', (scope, appName, folder) => {
    // Act
    const digest = testAlertDigest(rule({ partitionKey: scope }), NOW, 'k', DEFAULT_NOTICE_SETTINGS);

    // Assert
    expect({ appName: digest.appName, folder: digest.folder }).toEqual({ appName, folder });
  });
});

describe('composeAlertEmail of a test', () => {
  it('leads the subject with [TEST], under a Subject template too, and the body with the test note', () => {
    // Arrange
    const templated = rule({ Subject: '{rule} broke in {app}' });

    // Act
    const test = composeAlertEmail(testAlertDigest(templated, NOW, 'k', DEFAULT_NOTICE_SETTINGS), 'a@example.com');
    const { test: _test, ...real } = testAlertDigest(templated, NOW, 'k', DEFAULT_NOTICE_SETTINGS);
    const alert = composeAlertEmail(real, 'a@example.com');

    // Assert
    expect(test.subject).toBe('[TEST] checkout-5xx broke in shop-prod');
    expect(test.text.split('\n').slice(0, 6)).toEqual([
      'TEST · FIRING · Sev1 Error',
      'checkout-5xx',
      'shop-prod · requests',
      '='.repeat(60),
      '',
      `${TEST_NOTE} 1 request matched in one delivery (threshold 1).`,
    ]);
    expect(test.html).toContain('TEST · FIRING · Sev1 Error');
    expect(alert.subject).toBe('checkout-5xx broke in shop-prod');
    expect(alert.text).not.toContain('TEST');
  });
});
