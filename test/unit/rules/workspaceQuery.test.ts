import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { compileRule } from '../../../shared/core/rules/alertRule';
import { readColumnPath } from '../../../shared/core/rules/columnPath';
import { compiled, dimensions, NOW, problemsOf, record } from './ruleHelpers';

// Issue 11 §2: rules written in the workspace schema (AppRequests, ResultCode, Properties) compile,
// read the classic record columns, and get diagnostics in their own schema's names.

describe('a workspace query', () => {
  it('compiles the documented example and reads the classic record columns', () => {
    // Arrange
    const query = 'AppRequests | where ResultCode == "500" and Properties.tenant == "acme"';

    // Act
    const rule = compiled(query);

    // Assert
    expect(rule.table).toBe('requests');
    expect(rule.queryTable).toBe('AppRequests');
    expect(rule.columnsUsed).toEqual(['resultCode', 'customDimensions']);
    expect(rule.predicate(record({ resultCode: '500', customDimensions: dimensions({ tenant: 'acme' }) }), NOW)).toBe(
      true,
    );
    expect(rule.predicate(record({ resultCode: '500', customDimensions: dimensions({ tenant: 'other' }) }), NOW)).toBe(
      false,
    );
    expect(
      rule.predicate(
        record({ resultCode: '500', customDimensions: dimensions({ tenant: 'acme' }) }, 'dependencies'),
        NOW,
      ),
    ).toBe(false);
  });

  it.each([
    [
      'DurationMs as the record duration, in ms',
      'AppRequests | where DurationMs > 1.5s',
      { duration: 1600 },
      { duration: 1400 },
    ],
    [
      'TimeGenerated as the record timestamp',
      'AppRequests | where TimeGenerated > datetime(2024-03-05 13:00)',
      { timestamp: new Date('2024-03-05T13:30:00Z') },
      { timestamp: new Date('2024-03-05T12:30:00Z') },
    ],
    ['Success as a bool', 'AppRequests | where Success == false', { success: false }, { success: true }],
    [
      'a workspace-only column under its own name',
      'AppRequests | where _ResourceId endswith "/shop"',
      { _ResourceId: '/subscriptions/s/components/shop' },
      { _ResourceId: '/x' },
    ],
    ['ResourceGUID as the record appId', 'AppRequests | where ResourceGUID == "g"', { appId: 'g' }, { appId: 'h' }],
    [
      'AppRoleName as cloud_RoleName',
      'AppRequests | where AppRoleName =~ "WEB"',
      { cloud_RoleName: 'web' },
      { cloud_RoleName: 'api' },
    ],
  ])('reads %s', (_what, query, kept, dropped) => {
    const rule = compiled(query);

    expect(rule.predicate(record(kept), NOW)).toBe(true);
    expect(rule.predicate(record(dropped), NOW)).toBe(false);
  });

  it.each([
    [
      'AppExceptions | where SeverityLevel >= 3 and ExceptionType has "NullReferenceException"',
      'exceptions',
      { severityLevel: 3, type: 'System.NullReferenceException' },
    ],
    [
      'AppDependencies | where DependencyType == "SQL" and Success == false',
      'dependencies',
      { type: 'SQL', success: false },
    ],
    [
      'AppTraces | where Message contains "timeout" and SeverityLevel == 2',
      'traces',
      { message: 'a Timeout', severityLevel: 2 },
    ],
    [
      'AppMetrics | where Name == "q" and Sum > 10 and ItemCount == 3',
      'customMetrics',
      { name: 'q', valueSum: 11, valueCount: 3 },
    ],
    [
      'AppPerformanceCounters | where Counter == "% Processor Time" and Value > 90',
      'performanceCounters',
      { counter: '% Processor Time', value: 95 },
    ],
    ['AppBrowserTimings | where TotalDurationMs > 2s', 'browserTimings', { totalDuration: 2500 }],
    [
      'AppAvailabilityResults | where Location == "West Europe" and Success == false',
      'availabilityResults',
      { location: 'West Europe', success: false },
    ],
    ['AppPageViews | where Url has "checkout"', 'pageViews', { url: 'https://shop/checkout' }],
    [
      'AppEvents | where Name == "Signup" and Measurements.n == 2',
      'customEvents',
      { name: 'Signup', customMeasurements: { n: 2 } },
    ],
  ] as const)('%s reads a %s record', (query, table, columns) => {
    const rule = compiled(query);

    expect(rule.table).toBe(table);
    expect(rule.predicate(record({ ...columns }, table), NOW)).toBe(true);
  });

  it('a classic query reads the workspace-only columns too', () => {
    const rule = compiled('requests | where TenantId == "t" and _ResourceId has "shop"');

    expect(rule.columnsUsed).toEqual(['TenantId', '_ResourceId']);
    expect(rule.predicate(record({ TenantId: 't', _ResourceId: '/x/shop' }), NOW)).toBe(true);
  });
});

describe('diagnostics in the workspace schema', () => {
  it.each([
    [
      'a column in another case',
      'AppRequests | where resultcode == "500"',
      "line 1, col 21: unknown column 'resultcode' for table AppRequests (did you mean 'ResultCode'?)",
    ],
    [
      'a classic column name',
      'AppRequests | where resultCode == "500"',
      "line 1, col 21: unknown column 'resultCode' for table AppRequests: AppRequests names it ResultCode; resultCode is the classic requests column",
    ],
    [
      'a classic rename',
      'AppRequests | where customDimensions.tenant == "a"',
      "line 1, col 21: unknown column 'customDimensions' for table AppRequests: AppRequests names it Properties; customDimensions is the classic requests column",
    ],
    [
      'a misspelt classic rename',
      'AppRequests | where cloud_RoleNme == "a"',
      "line 1, col 21: unknown column 'cloud_RoleNme' for table AppRequests (did you mean 'AppRoleName', the workspace name of cloud_RoleName?)",
    ],
    [
      'a classic metric column',
      'AppMetrics | where valueSum > 3',
      "line 1, col 20: unknown column 'valueSum' for table AppMetrics: AppMetrics names it Sum; valueSum is the classic customMetrics column",
    ],
    [
      'a workspace name in a classic query',
      'requests | where ResultCode == "500"',
      "line 1, col 18: unknown column 'ResultCode' for table requests: requests names it resultCode; ResultCode is the workspace AppRequests column",
    ],
    [
      'a table name in another case',
      'apprequests | where Name == "a"',
      "line 1, col 1: unknown table 'apprequests' (did you mean 'AppRequests'?)",
    ],
    [
      'a misspelt workspace table',
      'AppRequest | where Name == "a"',
      "line 1, col 1: unknown table 'AppRequest' (did you mean 'AppRequests'?)",
    ],
    [
      'an unsupported operator',
      'AppRequests | summarize count() by ResultCode',
      "line 1, col 15: 'summarize' is not supported in alert rules: write <table> | where <condition>",
    ],
    [
      'another unsupported operator',
      'AppRequests | where Success == false | project Name',
      "line 1, col 40: 'project' is not supported in alert rules: write <table> | where <condition>",
    ],
    [
      'no table at all',
      'print 1',
      expect.stringMatching(
        /^line 1, col 1: a rule must start with a table name \(requests, .*, or in the workspace schema AppRequests, .*AppPerformanceCounters\), not 'print'$/,
      ),
    ],
    [
      'an unsupported function',
      'AppRequests | where strcat(Name, "x") == "ax"',
      "line 1, col 21: function 'strcat' is not supported in alert rules (supported: not, isempty, isnotempty, isnull, isnotnull, tostring, toint, tolong, todouble, toreal, tobool, toboolean, todatetime, tolower, toupper, strlen, trim, trim_start, trim_end, ago, now)",
    ],
    [
      'a string column compared with a number',
      'AppRequests | where ResultCode == 500',
      'line 1, col 32: cannot compare string with long: convert it first, e.g. toint(ResultCode)',
    ],
    [
      'a Properties value compared with a number',
      'AppRequests | where Properties.n > 5',
      'line 1, col 34: Properties values are strings: convert before comparing with a long, e.g. toint(Properties.n)',
    ],
    [
      'a misspelt function',
      'AppRequests | where tolowr(Name) == "a"',
      "line 1, col 21: unknown function 'tolowr' (did you mean 'tolower'?)",
    ],
  ])('%s', (_what, query, expected) => {
    expect(problemsOf(query)).toEqual([expected]);
  });
});

describe('GroupBy and Columns of a workspace rule', () => {
  const entity = (Query: string, extra: Record<string, string>) => ({
    partitionKey: '*',
    rowKey: 'r',
    Query,
    Recipients: 'a@example.com',
    ...extra,
  });

  it('take workspace names and read the record columns behind them', () => {
    // Arrange
    const row = record({ cloud_RoleName: 'web', customDimensions: dimensions({ tenant: 'acme' }), duration: 12 });

    // Act
    const result = compileRule(
      entity('AppRequests | where DurationMs > 1', {
        GroupBy: 'AppRoleName, Properties.tenant',
        Columns: 'DurationMs; Properties["tenant"]',
      }),
    );

    // Assert
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value.table).toBe('requests');
    expect(result.value.groupBy.map((p) => [p.text, readColumnPath(row, p)])).toEqual([
      ['AppRoleName', 'web'],
      ['Properties.tenant', 'acme'],
    ]);
    expect(result.value.columns.map((p) => [p.text, p.column, readColumnPath(row, p)])).toEqual([
      ['DurationMs', 'duration', 12],
      ['Properties["tenant"]', 'customDimensions', 'acme'],
    ]);
  });

  it.each([
    [
      'a classic name in a workspace rule',
      'AppRequests',
      'customDimensions.tenant',
      "GroupBy: unknown column 'customDimensions' for table AppRequests: AppRequests names it Properties; customDimensions is the classic requests column",
    ],
    [
      'a workspace name in a classic rule',
      'requests',
      'AppRoleName',
      "GroupBy: unknown column 'AppRoleName' for table requests: requests names it cloud_RoleName; AppRoleName is the workspace AppRequests column",
    ],
    [
      'another case',
      'AppRequests',
      'approlename',
      "GroupBy: unknown column 'approlename' for table AppRequests (did you mean 'AppRoleName'?)",
    ],
  ])('reject %s, naming the right one', (_what, table, groupBy, message) => {
    const result = compileRule(
      entity(`${table} | where isnotempty(${table === 'requests' ? 'name' : 'Name'})`, { GroupBy: groupBy }),
    );

    expect(result).toEqual({ ok: false, error: [{ property: 'GroupBy', message }] });
  });
});

describe('docs/RULES.md', () => {
  it('shows one example per schema, and both keep the same records', () => {
    // Arrange
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'RULES.md'), 'utf8');
    const examples = [...doc.matchAll(/```kusto\n(.*?)\n```/gs)].map((m) => m[1] ?? '');
    const rows = [
      record({ resultCode: '500', customDimensions: dimensions({ tenant: 'acme' }) }),
      record({ resultCode: '500', customDimensions: dimensions({ tenant: 'other' }) }),
      record({ resultCode: '200' }),
    ];

    // Act
    const [workspace, classic] = examples.map((q) => compiled(q));

    // Assert
    expect(examples).toHaveLength(2);
    expect(workspace?.queryTable).toBe('AppRequests');
    expect(classic?.queryTable).toBe('requests');
    expect(rows.map((r) => workspace?.predicate(r, NOW))).toEqual([true, false, false]);
    expect(rows.map((r) => classic?.predicate(r, NOW))).toEqual([true, false, false]);
  });
});
