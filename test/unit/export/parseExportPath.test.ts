import { parseExportPath } from '../../../shared/core/export/parseExportPath';

const IKEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

describe('parseExportPath', () => {
  it('reads app, key, type and deposit hour from an export blob name', () => {
    const name = `shop-prod_${IKEY}/Requests/2024-03-05/13/0a1b2c3d_20240305_130102.blob`;
    expect(parseExportPath(name)).toEqual({
      ok: true,
      value: {
        blobName: name,
        folder: `shop-prod_${IKEY}`,
        appName: 'shop-prod',
        instrumentationKey: IKEY,
        telemetryType: 'Requests',
        depositedAt: new Date('2024-03-05T13:00:00Z'),
        fileName: '0a1b2c3d_20240305_130102.blob',
      },
    });
  });

  it.each([
    ['an app name with underscores', `my_shop_app_${IKEY}`, 'my_shop_app', IKEY],
    ['a key with dashes', 'shop_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', 'shop', '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'],
    ['an upper-case key', `shop_${IKEY.toUpperCase()}`, 'shop', IKEY.toUpperCase()],
  ])('accepts %s', (_what, folder, appName, instrumentationKey) => {
    const result = parseExportPath(`${folder}/Event/2024-03-05/00/x.blob`);
    expect(result).toMatchObject({ ok: true, value: { appName, instrumentationKey, folder } });
  });

  it.each([
    'Requests',
    'Exceptions',
    'Event',
    'Messages',
    'Rdd',
    'PageViews',
    'PageViewPerformance',
    'Availability',
    'Metrics',
    'PerformanceCounters',
  ])('knows the %s folder', (type) => {
    expect(parseExportPath(`a_${IKEY}/${type}/2024-03-05/23/x.blob`)).toMatchObject({
      ok: true,
      value: { telemetryType: type, depositedAt: new Date('2024-03-05T23:00:00Z') },
    });
  });

  it.each([
    ['too few segments', `a_${IKEY}/Requests/2024-03-05/x.blob`, 'expected 5 path segments'],
    ['too many segments', `c/a_${IKEY}/Requests/2024-03-05/13/x.blob`, 'expected 5 path segments'],
    ['no key', 'shop/Requests/2024-03-05/13/x.blob', "folder 'shop' is not <app>_<instrumentationKey>"],
    ['an empty app name', `_${IKEY}/Requests/2024-03-05/13/x.blob`, 'is not <app>_<instrumentationKey>'],
    [
      'a short key',
      'shop_0f1e2d/Requests/2024-03-05/13/x.blob',
      "'0f1e2d' in folder 'shop_0f1e2d' is not an instrumentation key",
    ],
    ['an unknown type', `a_${IKEY}/Traces/2024-03-05/13/x.blob`, "'Traces' is not an export telemetry type"],
    ['a bad date', `a_${IKEY}/Requests/2024-3-5/13/x.blob`, "'2024-3-5' is not a yyyy-MM-dd date folder"],
    ['an impossible date', `a_${IKEY}/Requests/2023-02-29/13/x.blob`, "'2023-02-29' is not a calendar date"],
    ['hour 24', `a_${IKEY}/Requests/2024-03-05/24/x.blob`, "'24' is not an HH hour folder"],
    ['a one-digit hour', `a_${IKEY}/Requests/2024-03-05/7/x.blob`, "'7' is not an HH hour folder"],
    ['a folder instead of a file', `a_${IKEY}/Requests/2024-03-05/13/`, 'ends with a folder'],
    ['an empty name', '', 'expected 5 path segments'],
  ])('says why %s is not an export blob', (_what, name, reason) => {
    const result = parseExportPath(name);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.blobName).toBe(name);
      expect(result.error.reason).toContain(reason);
    }
  });

  it('accepts a leap day', () => {
    expect(parseExportPath(`a_${IKEY}/Requests/2024-02-29/00/x.blob`).ok).toBe(true);
  });
});
