import { TABLE_COLUMNS } from '../../../../shared/core/export/tableSchemas';
import { recordColumnOf, WORKSPACE_COLUMNS } from '../../../../shared/core/export/workspace/workspaceSchema';
import { classicTableOf, WORKSPACE_TABLE_NAMES } from '../../../../shared/core/export/workspaceTables';

describe('WORKSPACE_COLUMNS', () => {
  it.each(WORKSPACE_TABLE_NAMES)(
    '%s answers every column from a column of its classic table, with the same type',
    (table) => {
      // Arrange
      const classic = TABLE_COLUMNS[classicTableOf(table)];

      // Act
      const mismatched = WORKSPACE_COLUMNS[table]
        .map((c) => ({ name: c.name, key: c.classic ?? c.name, type: c.type }))
        .filter((c) => classic[c.key] !== c.type);

      // Assert
      expect(mismatched).toEqual([]);
    },
  );

  it.each(WORKSPACE_TABLE_NAMES)('%s names each workspace column and each record key once', (table) => {
    const names = WORKSPACE_COLUMNS[table].map((c) => c.name);
    const keys = WORKSPACE_COLUMNS[table].map((c) => c.classic ?? c.name);

    expect(new Set(names).size).toBe(names.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('lists the columns every table has in the table reference', () => {
    const common = [
      'TimeGenerated',
      '_ResourceId',
      'TenantId',
      'Type',
      'Properties',
      'ResourceGUID',
      '_BilledSize',
      'IKey',
    ];

    for (const table of WORKSPACE_TABLE_NAMES) {
      expect(WORKSPACE_COLUMNS[table].map((c) => c.name)).toEqual(expect.arrayContaining(common));
    }
  });
});

describe('recordColumnOf', () => {
  it.each([
    ['AppRequests', 'ResultCode', 'resultCode'],
    ['AppRequests', 'DurationMs', 'duration'],
    ['AppRequests', 'Properties', 'customDimensions'],
    ['AppRequests', 'ResourceGUID', 'appId'],
    ['AppRequests', '_ResourceId', '_ResourceId'],
    ['AppRequests', 'Type', 'Type'],
    ['AppDependencies', 'DependencyType', 'type'],
    ['AppExceptions', 'ExceptionType', 'type'],
    ['AppMetrics', 'ItemCount', 'valueCount'],
    ['AppMetrics', 'Sum', 'valueSum'],
    ['AppPerformanceCounters', 'Counter', 'counter'],
    ['AppBrowserTimings', 'TotalDurationMs', 'totalDuration'],
    ['AppTraces', 'ReferencedItemId', 'ReferencedItemId'],
  ] as const)('answers %s.%s from record column %s', (table, column, key) => {
    expect(recordColumnOf(table, column)).toBe(key);
  });

  it.each([
    ['AppRequests', 'resultCode'],
    ['AppMetrics', 'Measurements'],
    ['AppPerformanceCounters', 'ItemCount'],
    ['AppEvents', 'Url'],
  ] as const)('has no column %s.%s (names are case-sensitive, as in KQL)', (table, column) => {
    expect(recordColumnOf(table, column)).toBeUndefined();
  });
});
