import { loadConfig } from '../../shared/config';
import { ConfigError } from '../../shared/errors';

describe('loadConfig', () => {
  it('uses the defaults when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({
      exportContainer: 'export',
      maxLineBytes: 4 * 1024 * 1024,
      exportConnection: undefined,
      rulesConnection: undefined,
      rulesTable: 'AlertRules',
      rulesCacheMs: 60_000,
      stateConnection: undefined,
      stateTable: 'AlertState',
      ledgerTable: 'AlertLedger',
      ledgerLeaseMs: 300_000,
      mail: { from: 'alerts@example.com', sendGridApiKey: undefined, sendGridBaseUrl: undefined, outboxDir: undefined, retryBudgetMs: 60_000 },
    });
  });

  it('reads set values', () => {
    expect(
      loadConfig({
        EXPORT_CONTAINER: 'telemetry',
        EXPORT_MAX_LINE_BYTES: '1024',
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
        ALERT_RULES_TABLE: 'MyRules',
        RULES_CACHE_SECONDS: '5',
      }),
    ).toMatchObject({
      exportContainer: 'telemetry',
      maxLineBytes: 1024,
      exportConnection: 'UseDevelopmentStorage=true',
      rulesConnection: 'UseDevelopmentStorage=true',
      rulesTable: 'MyRules',
      rulesCacheMs: 5000,
    });
  });

  it('reads the mail settings', () => {
    expect(loadConfig({ ALERT_EMAIL_FROM: 'ops@shop.example', SENDGRID_API_KEY: 'k', OUTBOX_DIR: '/tmp/o' }).mail).toEqual({
      from: 'ops@shop.example',
      sendGridApiKey: 'k',
      sendGridBaseUrl: undefined,
      outboxDir: '/tmp/o',
      retryBudgetMs: 60_000,
    });
    expect(() => loadConfig({ ALERT_EMAIL_FROM: 'nobody' })).toThrow("ALERT_EMAIL_FROM must be an e-mail address, found 'nobody'");
  });

  it('prefers ALERT_RULES_STORAGE over AzureWebJobsStorage for the rules table', () => {
    expect(loadConfig({ AzureWebJobsStorage: 'a', ALERT_RULES_STORAGE: 'b' }).rulesConnection).toBe('b');
  });

  it('rejects a table name the Table service would refuse', () => {
    expect(() => loadConfig({ ALERT_RULES_TABLE: 'alert-rules' })).toThrow("ALERT_RULES_TABLE must be a table name");
  });

  it('lists every invalid setting in one error', () => {
    // Act
    let error: unknown;
    try {
      loadConfig({ EXPORT_CONTAINER: '  ', EXPORT_MAX_LINE_BYTES: '-3' });
    } catch (e) {
      error = e;
    }

    // Assert
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      "EXPORT_CONTAINER is set but blank; remove it to use the default 'export'",
      "EXPORT_MAX_LINE_BYTES must be a positive whole number, found '-3'",
    ]);
  });

  it.each(['1.5', 'abc', '0'])('rejects EXPORT_MAX_LINE_BYTES=%s', (value) => {
    expect(() => loadConfig({ EXPORT_MAX_LINE_BYTES: value })).toThrow('EXPORT_MAX_LINE_BYTES must be a positive whole number');
  });
});
