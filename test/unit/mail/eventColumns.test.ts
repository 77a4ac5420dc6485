import { eventColumns } from '../../../shared/core/mail/eventColumns';
import { compileRule } from '../../../shared/core/rules/alertRule';

function rule(query: string) {
  const compiled = compileRule({ partitionKey: 'shop', rowKey: 'r', Query: query, Recipients: 'ops@example.com' });
  if (!compiled.ok) throw new Error(compiled.error.map((p) => p.message).join('; '));
  return compiled.value;
}

describe('eventColumns', () => {
  it('heads the default columns in the schema the rule is written in', () => {
    expect(eventColumns(rule('requests | where resultCode == "500"')).columns.map((c) => c.heading)).toEqual([
      'timestamp',
      'name',
      'resultCode',
      'duration',
      'url',
      'operation_Id',
      'cloud_RoleName',
    ]);
    expect(eventColumns(rule('AppRequests | where ResultCode == "500"')).columns.map((c) => c.heading)).toEqual([
      'TimeGenerated',
      'Name',
      'ResultCode',
      'DurationMs',
      'Url',
      'OperationId',
      'AppRoleName',
    ]);
  });

  it('reads the same record columns whatever the headings', () => {
    const record = { table: 'requests' as const, columns: { resultCode: '500', duration: 12 }, raw: {} };
    const columns = eventColumns(rule('AppRequests | where ResultCode == "500"')).columns;
    expect(columns.find((c) => c.heading === 'ResultCode')?.read(record)).toBe('500');
    expect(columns.find((c) => c.heading === 'DurationMs')).toMatchObject({ unit: 'ms' });
  });
});
