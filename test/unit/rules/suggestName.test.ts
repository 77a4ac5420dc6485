import { suggestName } from '../../../shared/core/rules/suggestName';

const COLUMNS = ['resultCode', 'name', 'url', 'duration', 'customDimensions', 'client_City', 'cloud_RoleName'];

describe('suggestName', () => {
  it.each([
    ['a different case', 'resultcode', 'resultCode'],
    ['a missing letter', 'duraton', 'duration'],
    ['an extra letter', 'urll', 'url'],
    ['swapped letters', 'durtaion', 'duration'],
    ['two edits in a long name', 'customDimensons_', 'customDimensions'],
    ['a wrong separator', 'cloud_rolename', 'cloud_RoleName'],
  ])('suggests for %s', (_what, name, expected) => {
    expect(suggestName(name, COLUMNS)).toBe(expected);
  });

  it.each([
    ['nothing close', 'tenant'],
    ['a short name two edits away', 'nme2'],
    ['an unrelated short name', 'x'],
  ])('stays silent for %s', (_what, name) => {
    expect(suggestName(name, COLUMNS)).toBeUndefined();
  });
});
