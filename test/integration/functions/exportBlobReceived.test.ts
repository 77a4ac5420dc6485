import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InvocationContext } from '@azure/functions';

import { exportBlobReceived } from '../../../functions/exportBlobReceived';
import { TableRuleStore } from '../../../shared/adapters/storage/tableRuleStore';
import { testConnectionString, testTableClient } from '../../harness/storage';

describe('exportBlobReceived with rules in Table Storage', () => {
  it('evaluates the rules of the blob’s app and type, skipping invalid ones, and logs matches per rule', async () => {
    // Arrange
    const table = testTableClient('fnrules');
    const store = new TableRuleStore(table);
    await store.put({
      partitionKey: 'shopfront-prod',
      rowKey: 'not-found',
      Query: 'requests | where resultCode == "404"',
      Recipients: 'a@example.com',
    });
    await store.put({ partitionKey: '*', rowKey: 'all', Query: 'requests', Recipients: 'a@example.com' });
    await store.put({
      partitionKey: '*',
      rowKey: 'broken',
      Query: 'requests | where nope == 1',
      Recipients: 'a@example.com',
    });
    await store.put({ partitionKey: 'other', rowKey: 'elsewhere', Query: 'requests', Recipients: 'a@example.com' });
    const name = 'shopfront-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/edge_20240305_130102.blob';
    const content = readFileSync(join(__dirname, '../../fixtures/export', name));
    const logs: string[] = [];
    const context = new InvocationContext({
      triggerMetadata: { name },
      logHandler: (_l, ...args) => logs.push(args.join(' ')),
    });
    const saved = { ...process.env };
    const outbox = mkdtempSync(join(tmpdir(), 'outbox-'));
    Object.assign(process.env, {
      AzureWebJobsStorage: testConnectionString(),
      ALERT_RULES_TABLE: table.tableName,
      ALERT_STATE_TABLE: `s${table.tableName}`,
      ALERT_LEDGER_TABLE: `l${table.tableName}`,
      OUTBOX_DIR: outbox,
    });

    // Act
    let summary;
    try {
      summary = await exportBlobReceived(content, context);
    } finally {
      process.env = saved;
    }

    // Assert
    expect(summary).toMatchObject({ status: 'processed', matches: { 'shopfront-prod/not-found': 1, '*/all': 3 } });
    expect(Object.keys((summary as { matches: object }).matches)).toHaveLength(2);
    expect(logs.some((l) => l.startsWith('skipped invalid rule */broken'))).toBe(true);
    expect(logs[logs.length - 1]).toMatch(
      /records, 0 malformed among those parsed, \d+ bytes, matches (\*\/all=3 shopfront-prod\/not-found=1|shopfront-prod\/not-found=1 \*\/all=3), e-mails: sent 2, outbox /,
    );
    expect(readdirSync(outbox).filter((f) => f.endsWith('.eml'))).toHaveLength(2);
  });
});
