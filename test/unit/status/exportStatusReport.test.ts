import type { ExportStatusEntry } from '../../../shared/core/status/exportStatusBook';
import { formatStatusReport, statusHasFindings, statusReport } from '../../../shared/core/status/exportStatusReport';
import { countFailure } from '../../../shared/core/status/failureCounts';
import { countPoisonQueue, parsePoisonMessage } from '../../../shared/core/status/poisonMessages';

const MIN = 60_000;
const NOW = Date.UTC(2024, 2, 5, 14, 5);

const REQUESTS: ExportStatusEntry = {
  app: 'shop-prod',
  type: 'Requests',
  source: 'continuousExport',
  last: {
    blob: 'shop-prod_0f1e/Requests/2024-03-05/14/a.blob',
    version: '"0x8DC"',
    at: NOW - 2 * MIN,
    records: 40,
    matches: 4,
    emails: 1,
  },
  ring: [],
  failing: [],
};

const APP_REQUESTS: ExportStatusEntry = {
  app: 'shop-api',
  type: 'AppRequests',
  source: 'diagnosticSettings',
  last: {
    blob: 'insights-logs-apprequests/resourceId=/x/PT1H.json',
    version: 'bytes=0-1234',
    at: NOW - 3 * 60 * MIN,
    records: 7,
    matches: 0,
    emails: 0,
  },
  lastFailure: {
    blob: 'insights-logs-apprequests/resourceId=/x/PT1H.json',
    version: 'bytes=1234-2000',
    at: NOW - 30 * MIN,
    error: 'SendGrid mail/send failed: 503',
  },
  ring: countFailure(countFailure([], NOW - 30 * MIN, false), NOW - 26 * 60 * MIN, false),
  failing: [],
};

describe('export-alerts status, as data and as text', () => {
  it('shows each app and type with its last delivery, its age and the failures of the last 24 h', () => {
    // Act
    const report = statusReport([REQUESTS, APP_REQUESTS], { valid: 3, invalid: 1 }, { state: 'missing' }, [], NOW);
    const text = formatStatusReport(report);

    // Assert
    expect(text.rows).toEqual([
      [
        'shop-api',
        'AppRequests',
        'diagnostic settings',
        '2024-03-05 11:05:00 UTC',
        '3 h',
        '7',
        '0',
        '0',
        '1',
        '0',
        'insights-logs-apprequests/resourceId=/x/PT1H.json bytes=0-1234',
      ],
      [
        'shop-prod',
        'Requests',
        'Continuous Export',
        '2024-03-05 14:03:00 UTC',
        '2 min',
        '40',
        '4',
        '1',
        '0',
        '0',
        'shop-prod_0f1e/Requests/2024-03-05/14/a.blob',
      ],
    ]);
    expect(text.after).toEqual([
      "rules: 3 valid, 1 invalid (run 'export-alerts rules validate' for their problems)",
      'failures in the last 24 h: 1; last: 2024-03-05 13:35:00 UTC, shop-api AppRequests, insights-logs-apprequests/resourceId=/x/PT1H.json: SendGrid mail/send failed: 503',
      "poisoned blobs in the last 24 h, by the functions' count: 0",
      'poison queue webjobs-blobtrigger-poison: none in AzureWebJobsStorage (the Functions host creates it at the first poisoned blob; the local host reports poison in its log)',
    ]);
    expect(statusHasFindings(report)).toBe(true);
  });

  it('has nothing to report when all is well', () => {
    const report = statusReport([REQUESTS], { valid: 1, invalid: 0 }, { state: 'missing' }, [], NOW);
    expect(statusHasFindings(report)).toBe(false);
  });

  it('says what the poison queue holds, and that a peek sees only the oldest 32', () => {
    // Arrange
    const text = (t: string) => Buffer.from(JSON.stringify(t === '' ? {} : JSON.parse(t))).toString('base64');
    const ours = JSON.stringify({
      Type: 'BlobTrigger',
      FunctionId: 'Host.Functions.exportBlobReceived',
      BlobType: 'BlockBlob',
      ContainerName: 'export',
      BlobName: 'shop-prod_0f1e/Requests/2024-03-05/13/a.blob',
      ETag: '"0x8DC"',
    });
    const theirs = JSON.stringify({ FunctionId: 'Host.Functions.otherApp', ContainerName: 'x', BlobName: 'y' });
    const peek = {
      approximateCount: 40,
      messages: [
        { insertedOn: NOW - 25 * 60 * MIN, text: text(ours) },
        { insertedOn: NOW - 60 * MIN, text: text(ours) },
        { insertedOn: NOW - 30 * MIN, text: ours },
        { insertedOn: NOW - 10 * MIN, text: text(theirs) },
      ],
    };

    // Act
    const count = countPoisonQueue(peek, 'exportBlobReceived', NOW);
    const report = statusReport([], { valid: 0, invalid: 0 }, count, [], NOW);

    // Assert
    expect(count).toEqual({ state: 'read', messages: 40, lastDay: 2, beyondPeek: 36 });
    expect(formatStatusReport(report).after[3]).toBe(
      'poison queue webjobs-blobtrigger-poison: 40 messages, 2 from exportBlobReceived in the last 24 h among the oldest 4 (a peek shows 32)',
    );
    expect(statusHasFindings(report)).toBe(true);
  });

  it.each([
    [
      'plain JSON',
      '{"FunctionId":"a.Functions.f","ContainerName":"c","BlobName":"b"}',
      { functionId: 'a.Functions.f', container: 'c', blobName: 'b' },
    ],
    [
      'base64 JSON',
      Buffer.from('{"FunctionId":"f","BlobName":"b"}').toString('base64'),
      { functionId: 'f', container: '', blobName: 'b' },
    ],
    ['neither', 'not a poison message', undefined],
  ])('reads a poison message written as %s', (_how, text, expected) => {
    expect(parsePoisonMessage(text)).toEqual(expected);
  });
});
