import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InvocationContext } from '@azure/functions';

import { exportBlobHandler } from '../../../functions/exportBlobReceived';
import { loadConfig } from '../../../shared/adapters/settings/config';
import { tableClientFrom } from '../../../shared/adapters/storage/clients';
import { TableRuleStore } from '../../../shared/adapters/storage/tableRuleStore';
import { blobServices } from '../../../shared/composition/appServices';
import type { Logger } from '../../../shared/core/logger';
import { testConnectionString, testTableClient } from '../../harness/storage';

const IKEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const FIXTURE = join(
  __dirname,
  '../../fixtures/export',
  `shopfront-prod_${IKEY}/Requests/2024-03-05/13/edge_20240305_130102.blob`,
);

function settingsWithTables(prefix: string, outbox: string): Record<string, string> {
  const rules = testTableClient(prefix).tableName;
  return {
    AzureWebJobsStorage: testConnectionString(),
    ALERT_RULES_TABLE: rules,
    ALERT_STATE_TABLE: `s${rules}`,
    ALERT_LEDGER_TABLE: `l${rules}`,
    OUTBOX_DIR: outbox,
  };
}

function collectingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { lines, logger: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) } };
}

describe('services per configuration, loggers per invocation', () => {
  it('logs what the shared mailer does to the invocation that asked, with two invocations at once', async () => {
    // Arrange: one rule per app, and a blob of each app, so each invocation sends one e-mail
    const settings = settingsWithTables('svc', mkdtempSync(join(tmpdir(), 'outbox-')));
    const store = new TableRuleStore(tableClientFrom(testConnectionString(), settings['ALERT_RULES_TABLE'] as string));
    for (const app of ['shopa', 'shopb'])
      await store.put({ partitionKey: app, rowKey: 'all', Query: 'requests', Recipients: `${app}@example.com` });
    const handler = exportBlobHandler({}, loadConfig(settings));
    const content = readFileSync(FIXTURE);
    const invocation = (app: string) => {
      const lines: string[] = [];
      const context = new InvocationContext({
        invocationId: app,
        triggerMetadata: { name: `${app}_${IKEY}/Requests/2024-03-05/13/edge.blob` },
        logHandler: (_level, ...args) => lines.push(args.join(' ')),
      });
      return { lines, run: () => handler(content, context) };
    };
    const a = invocation('shopa');
    const b = invocation('shopb');

    // Act: both in flight together
    await Promise.all([a.run(), b.run()]);

    // Assert: each outbox line in the log of the invocation whose e-mail it wrote
    const outboxLines = (lines: string[]) => lines.filter((l) => l.startsWith('outbox: wrote'));
    expect(outboxLines(a.lines)).toEqual([expect.stringContaining('_shopa-all_')]);
    expect(outboxLines(b.lines)).toEqual([expect.stringContaining('_shopb-all_')]);
    expect(a.lines.some((l) => l.includes('shopb_'))).toBe(false);
    expect(b.lines.some((l) => l.includes('shopa_'))).toBe(false);
  });

  it('builds the services once per configuration: a second call reuses them, another configuration does not', () => {
    // Arrange
    const settings = settingsWithTables('reuse', mkdtempSync(join(tmpdir(), 'outbox-')));
    const config = loadConfig(settings);
    const first = collectingLogger();
    const second = collectingLogger();

    // Act
    const one = blobServices(config, first.logger);
    const two = blobServices(config, second.logger);
    const other = blobServices(loadConfig(settings), first.logger);

    // Assert: the same book and mailer, each call with its own logger
    expect(two.delivery?.book).toBe(one.delivery?.book);
    expect(two.delivery?.mailer).toBe(one.delivery?.mailer);
    expect(one.logger).toBe(first.logger);
    expect(two.logger).toBe(second.logger);
    expect(two.delivery?.logger).toBe(second.logger);
    expect(other.delivery?.book).not.toBe(one.delivery?.book);
  });
});
