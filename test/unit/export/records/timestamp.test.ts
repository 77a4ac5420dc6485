import { parseExportPath } from '../../../../shared/core/export/parseExportPath';
import { subMillisecondTicksOfDate } from '../../../../shared/core/export/records/subMillisecondTicks';
import { parseEventTime } from '../../../../shared/core/export/records/timestamp';
import { toRecords } from '../../../../shared/core/export/toRecords';
import { workspaceRowToRecords } from '../../../../shared/core/export/workspace/workspaceRowToRecords';
import { compileQuery } from '../../../../shared/core/rules/compileQuery';
import { NOW } from '../../rules/ruleHelpers';

describe('parseEventTime', () => {
  it.each([
    ['2020-02-01T11:14:59.9497973Z', '2020-02-01T11:14:59.949Z'],
    ['2020-02-01T11:14:59.811811Z', '2020-02-01T11:14:59.811Z'],
    ['2024-03-05T13:00:00.12345Z', '2024-03-05T13:00:00.123Z'],
    ['2024-03-05T13:00:00.1234Z', '2024-03-05T13:00:00.123Z'],
    ['2024-03-05T13:00:00.123Z', '2024-03-05T13:00:00.123Z'],
    ['2024-03-05T13:00:00.12Z', '2024-03-05T13:00:00.120Z'],
    ['2024-03-05T13:00:00.5Z', '2024-03-05T13:00:00.500Z'],
    ['2024-03-05T13:00:00Z', '2024-03-05T13:00:00.000Z'],
    ['2024-02-29T23:59:59.9999999Z', '2024-02-29T23:59:59.999Z'],
  ])('reads %s (1-7 fractional digits, truncated to ms)', (text, iso) => {
    expect(parseEventTime(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ['2020-02-01T11:14:59.9497973Z', 7973],
    ['2020-02-01T11:14:59.811811Z', 8110],
    ['2024-03-05T13:00:00.12345Z', 4500],
    ['2024-03-05T13:00:00.1234Z', 4000],
    ['2024-03-05T13:00:00.123Z', 0],
    ['2024-03-05T13:00:00.0000001Z', 1],
  ])('carries the ticks of %s past the millisecond (%d)', (text, ticks) => {
    const date = parseEventTime(text);
    expect(date && subMillisecondTicksOfDate(date)).toBe(ticks);
  });

  it('lets rules compare record times at 100 ns, in both export formats', () => {
    const after = compileQuery('requests | where timestamp > datetime(2024-03-05T13:00:00.0000004Z)');
    if (!after.ok) throw new Error('query does not compile');
    const ce = (time: string) => {
      const ref = parseExportPath('shop_0123456789abcdef0123456789abcdef/Requests/2024-03-05/13/a.blob');
      if (!ref.ok) throw new Error('bad path');
      const row = {
        request: [
          {
            id: 'r',
            name: 'GET /',
            count: 1,
            responseCode: 200,
            success: true,
            url: 'https://x/',
            durationMetric: { value: 1, count: 1, sampledValue: 1 },
          },
        ],
        internal: { data: { id: 'i', documentVersion: '1.61' } },
        context: { data: { eventTime: time } },
      };
      const records = toRecords(row, {
        appName: ref.value.appName,
        instrumentationKey: ref.value.instrumentationKey,
        telemetryType: 'Requests',
        line: 1,
      });
      if (!records.ok) throw new Error(records.error);
      return records.value[0];
    };
    const workspace = (time: string) => {
      const records = workspaceRowToRecords(
        {
          TimeGenerated: time,
          Type: 'AppRequests',
          Name: 'GET /',
          ResultCode: '200',
          Success: true,
          DurationMs: 1,
          Id: 'r',
        },
        { table: 'AppRequests', line: 1 },
      );
      if (!records.ok) throw new Error(records.error);
      return records.value[0];
    };
    for (const read of [ce, workspace]) {
      const kept = [
        '2024-03-05T13:00:00.0000003Z',
        '2024-03-05T13:00:00.0000004Z',
        '2024-03-05T13:00:00.0000005Z',
        '2024-03-05T13:00:00.001Z',
      ].map((t) => {
        const record = read(t);
        return record !== undefined && after.value.predicate(record, NOW);
      });
      expect(kept).toEqual([false, false, true, true]);
    }
  });

  it('reads the default date 0001-01-01T00:00:00Z as year 1, not 1901', () => {
    expect(parseEventTime('0001-01-01T00:00:00Z')?.getUTCFullYear()).toBe(1);
  });

  it.each([
    '2024-03-05T13:00:00',
    '2024-03-05T13:00:00.Z',
    '2024-03-05T13:00:00.12345678Z',
    '2024-03-05 13:00:00Z',
    '2024-03-05t13:00:00Z',
    '2024-03-05T13:00:00+00:00',
    '2024-13-05T13:00:00Z',
    '2023-02-29T13:00:00Z',
    '2024-03-05T24:00:00Z',
    '2024-03-05T13:60:00Z',
    '2024-03-05T13:00:60Z',
    '2024-03-0xT13:00:00Z',
    '2024-03-05T13:00:00.1a3Z',
    '',
  ])('rejects %j', (text) => {
    expect(parseEventTime(text)).toBeUndefined();
  });
});
