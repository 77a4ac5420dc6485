import { parseExportPath } from '../../../shared/core/export/parseExportPath';
import { compileRule } from '../../../shared/core/rules/alertRule';
import { selectRules } from '../../../shared/core/rules/ruleCatalog';
import { scopeCoversResource } from '../../../shared/core/rules/ruleScope';

// docs/RULES.md, "Scopes": a rule's PartitionKey is compared case-insensitively, per blob for
// Continuous Export (its folder or app name) and per record for the successor exports (the component
// name or the whole resource id). Each case below differs from the telemetry only in letter case.

const BLOB = 'Shop-Prod_0F1E2D3C4B5A69788796A5B4C3D2E1F0/Requests/2024-03-05/13/000001-aaaa_20240305_131000.blob';

function scopesSelected(scopes: readonly string[]): string[] {
  const ref = parseExportPath(BLOB);
  if (!ref.ok) throw new Error(ref.error.reason);
  const rules = scopes.map((scope, i) => {
    const result = compileRule({
      partitionKey: scope,
      rowKey: `r${i}`,
      Query: 'requests | where success == false',
      Recipients: 'ops@example.com',
    });
    if (!result.ok) throw new Error(`rule ${scope} does not compile`);
    return result.value;
  });
  return selectRules(rules, ref.value).map((rule) => rule.scope);
}

describe('scope matching ignores letter case', () => {
  it('selects a Continuous Export blob’s rules by folder or app name in any case', () => {
    expect(
      scopesSelected([
        'shop-prod',
        'SHOP-PROD',
        'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0',
        'Shop-Prod_0F1E2D3C4B5A69788796A5B4C3D2E1F0',
        '*',
        'shop-pro',
        'other',
      ]),
    ).toEqual([
      'shop-prod',
      'SHOP-PROD',
      'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      'Shop-Prod_0F1E2D3C4B5A69788796A5B4C3D2E1F0',
      '*',
    ]);
  });

  it.each<[string, string, boolean]>([
    ['shop-api', '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Insights/components/Shop-API', true],
    ['Shop-Api', '/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP-API', true],
    [
      '/Subscriptions/0000/ResourceGroups/RG/providers/microsoft.insights/components/shop-api',
      '/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP-API',
      true,
    ],
    ['Shop-Api', '/subscriptions/0000/resourceGroups/rg/providers/microsoft.insights/components/shop-apis', false],
  ])('a record of resource %#: scope %j covers %j: %s', (scope, resourceId, expected) => {
    expect(scopeCoversResource(scope, resourceId)).toBe(expected);
  });
});
