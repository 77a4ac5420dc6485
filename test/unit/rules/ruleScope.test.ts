import { scopeCoversResource } from '../../../shared/core/rules/ruleScope';

const ID = '/SUBSCRIPTIONS/0000/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP-API';

describe('scopeCoversResource', () => {
  it.each<[string, string | undefined, boolean]>([
    ['*', ID, true],
    ['*', undefined, true],
    ['shop-api', ID, true],
    ['SHOP-API', ID.toLowerCase(), true],
    ['shop', ID, false],
    ['/subscriptions/0000/resourceGroups/shop-rg/providers/microsoft.insights/components/shop-api', ID, true],
    ['/subscriptions/0000/resourceGroups/other/providers/microsoft.insights/components/shop-api', ID, false],
    [`${ID}/`, ID, true],
    ['shop-api', undefined, false],
    ['shop-api', '', false],
  ])('scope %j covers %j: %s', (scope, resourceId, expected) => {
    expect(scopeCoversResource(scope, resourceId)).toBe(expected);
  });
});
