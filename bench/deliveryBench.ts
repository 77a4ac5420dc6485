import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';

import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';

import { startAzurite } from '../local/azurite';
import { sendGridMailerFor, startFakeSendGrid } from '../scripts/fakeSendGrid';
import { TableAlertBook } from '../shared/adapters/storage/tableAlertBook';
import { TableRuleStore } from '../shared/adapters/storage/tableRuleStore';
import { realPause } from '../shared/adapters/systemClock';
import { silentLogger } from '../shared/core/logger';
import { type BlobSummary, processExportBlob } from '../shared/core/processExportBlob';
import { RuleCatalog } from '../shared/core/rules/ruleCatalog';
import { ensureBenchBlob } from './benchData';
import { formatNumber, formatRatio, median } from './stats';
import type { BenchContext, BenchSection } from './types';

const SEED = 'bench-reader-1';
const BYTES = 100 * 1024 ** 2;
const RUNS = 3;

/** Ten rules of the kinds users write, some grouped, some windowed, matching 0.1-10 % of rows. */
const RULES: readonly Record<string, unknown>[] = [
  { Query: 'requests | where toint(resultCode) >= 500' },
  { Query: 'requests | where toint(resultCode) == 404', GroupBy: 'cloud_RoleName' },
  { Query: 'requests | where duration > 2s', Threshold: 20, WindowMinutes: 10 },
  { Query: 'requests | where success == false and name has "checkout"' },
  { Query: 'requests | where customDimensions.tenant == "acme" and toint(resultCode) >= 400' },
  { Query: 'requests | where url contains "/api/" and duration > 1s', GroupBy: 'customDimensions.tenant' },
  { Query: 'requests | where name startswith "POST" and toint(resultCode) >= 500' },
  { Query: 'requests | where client_CountryOrRegion in~ ("germany", "france") and success == false' },
  { Query: 'requests | where name matches regex @"^GET /products/\\d+$" and duration > 500ms' },
  { Query: 'requests | where isnotempty(user_AuthenticatedId) and toint(resultCode) == 401' },
];

/** Counts HTTP requests the table clients send: the figure that carries over to Azure. */
function counter(): { policy: PipelinePolicy; count: () => number } {
  let n = 0;
  return {
    policy: { name: 'countRequests', sendRequest: (request, next) => ((n += 1), next(request)) },
    count: () => n,
  };
}

/**
 * End to end on Azurite and the fake SendGrid: download, parse, evaluate ten rules, update state and
 * ledger, send. The baseline parses the same downloaded blob the documentation's way and does nothing
 * else, so the ratio is what alerting costs on top of reading.
 */
export async function run(ctx: BenchContext): Promise<BenchSection> {
  const blob = await ensureBenchBlob(ctx.dataDir, 'Requests', BYTES, SEED, ctx.log);
  const azurite = await startAzurite();
  const sendGrid = await startFakeSendGrid();
  try {
    const requests = counter();
    const options = {
      additionalPolicies: [{ policy: requests.policy, position: 'perCall' as const }],
      allowInsecureConnection: true,
    };
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const container = service.getContainerClient('export');
    await container.create();
    const name = `shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/bench.blob`;
    ctx.log(`delivery: uploading ${blob.bytes} bytes to Azurite ...`);
    await container.getBlockBlobClient(name).uploadStream(createReadStream(blob.file), 4 * 1024 * 1024, 4);
    const table = (tableName: string) => TableClient.fromConnectionString(azurite.connectionString, tableName, options);
    const store = new TableRuleStore(table('AlertRules'));
    for (const [i, rule] of RULES.entries()) {
      await store.put({ partitionKey: 'shop-prod', rowKey: `bench${i}`, Recipients: 'ops@example.com', ...rule });
    }

    const ours: number[] = [];
    const perRun: { requests: number; summary: BlobSummary }[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      // A fresh state and ledger per run, so every run sends its e-mails instead of finding them sent.
      const catalog = new RuleCatalog(store, { ttlMs: 60_000, now: Date.now, logger: silentLogger });
      const before = requests.count();
      const started = performance.now();
      const download = await container.getBlobClient(name).download();
      const summary = await processExportBlob(
        {
          name,
          etag: download.etag ?? 'bench',
          content: download.readableStreamBody as NodeJS.ReadableStream & AsyncIterable<Buffer>,
        },
        {
          maxLineBytes: 4 * 1024 * 1024,
          logger: silentLogger,
          now: Date.now,
          rulesFor: (ref) => catalog.rulesFor(ref),
          delivery: {
            book: new TableAlertBook(table(`State${i}`)),
            mailer: sendGridMailerFor(sendGrid).mailer,
            now: Date.now,
            pause: realPause,
            logger: silentLogger,
            from: 'alerts@example.com',
            leaseMs: 300_000,
            maxEmailsPerRule: 10,
          },
        },
      );
      const ms = performance.now() - started;
      ctx.log(`delivery: ours run ${i} ${ms.toFixed(0)} ms`);
      if (i > 0) {
        ours.push(ms);
        perRun.push({ requests: requests.count() - before, summary });
      }
    }

    const baseline: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const started = performance.now();
      const text = (await container.getBlobClient(name).downloadToBuffer()).toString('utf8');
      let rows = 0;
      for (const line of text.split('\n')) if (line.trim() !== '') rows += JSON.parse(line) ? 1 : 0;
      const ms = performance.now() - started;
      ctx.log(`delivery: baseline run ${i} ${ms.toFixed(0)} ms (${rows} rows)`);
      if (i > 0) baseline.push(ms);
    }

    const mb = blob.bytes / 1e6;
    const oursMbs = mb / (median(ours) / 1000);
    const baseMbs = mb / (median(baseline) / 1000);
    const last = perRun[perRun.length - 1];
    const summary = last?.summary.status === 'processed' ? last.summary : undefined;
    const matched = summary ? Object.values(summary.matches).reduce((a, b) => a + b, 0) : 0;
    return {
      title: 'End to end: one 100 MiB Requests blob, 10 rules, Azurite + local SendGrid',
      columns: ['measurement', 'ours', 'baseline', 'ratio'],
      rows: [
        [
          'MB/s (download, parse, evaluate, state, ledger, send)',
          formatNumber(oursMbs),
          formatNumber(baseMbs),
          formatRatio(oursMbs, baseMbs),
        ],
        [
          'table requests for the blob (rules, state, ledger), plus 1 blob download',
          String(last?.requests ?? 'n/a'),
          '0',
          '-',
        ],
        [
          'e-mails sent / SendGrid requests',
          `${summary?.emails.sent ?? 0} / ${sendGrid.requests.length / (RUNS + 1)}`,
          '-',
          '-',
        ],
        ['matching records (10 rules)', formatNumber(matched), '-', '-'],
      ],
      notes: [
        `Median of ${RUNS} runs after 1 warm-up, in one process; baseline = download the blob whole, toString, split on \\n, JSON.parse each row (the parse-only baseline, no rules, no alerting).`,
        'Table requests are counted by a pipeline policy on the table clients (rules list, state and ledger reads and writes, table creation on first use); the blob is one download (in Azure the host downloads it). Azurite serializes work, so the request count is the figure that carries over to Azure.',
        `Rules: ${RULES.map((r) => String(r['Query'])).join('; ')}.`,
      ],
    };
  } finally {
    await sendGrid.close();
    await azurite.stop();
  }
}
