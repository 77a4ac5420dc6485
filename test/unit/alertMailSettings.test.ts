import { checkConfig } from '../../shared/adapters/settings/config';

const ID =
  '/subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/shop-rg/providers/microsoft.insights/components/shop-prod';

function problemsOf(env: Record<string, string>): readonly string[] {
  const checked = checkConfig(env);
  if (checked.ok) throw new Error('expected the settings to be refused');
  return checked.error.problems;
}

function noticeOf(env: Record<string, string>) {
  const checked = checkConfig(env);
  if (!checked.ok) throw new Error(`expected valid settings, got:\n${checked.error.message}`);
  return checked.value.notice;
}

describe('ALERT_TIME_ZONE', () => {
  it.each([
    [{}, 'UTC'],
    [{ ALERT_TIME_ZONE: 'Europe/Berlin' }, 'Europe/Berlin'],
    [{ ALERT_TIME_ZONE: ' America/New_York ' }, 'America/New_York'],
  ])('writes e-mail times in the zone %j says', (env, zone) => {
    expect(noticeOf(env).timeZone).toBe(zone);
  });

  it.each([
    ['Mars/Olympus', "ALERT_TIME_ZONE must be an IANA time zone such as Europe/Berlin or UTC, found 'Mars/Olympus'"],
    ['+01:00', "ALERT_TIME_ZONE must be an IANA time zone such as Europe/Berlin or UTC, found '+01:00'"],
    ['   ', "ALERT_TIME_ZONE is set but blank; remove it to use the default 'UTC'"],
  ])('refuses %j, saying what it expects', (value, problem) => {
    expect(problemsOf({ ALERT_TIME_ZONE: value })).toEqual([problem]);
  });
});

describe('APPINSIGHTS_RESOURCE_ID_<app>', () => {
  it('keys each app’s resource id by the app as its setting names it, in any spelling', () => {
    const notice = noticeOf({
      APPINSIGHTS_RESOURCE_ID_SHOP_PROD: ID,
      'APPINSIGHTS_RESOURCE_ID_billing-api': ID.replace('shop-prod', 'billing-api').toUpperCase(),
      APPINSIGHTS_RESOURCE_ID_BLANK: '  ',
    });

    expect(notice.appResourceIds).toEqual({
      SHOP_PROD: ID,
      BILLING_API:
        '/subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/SHOP-RG/providers/microsoft.insights/components/BILLING-API',
    });
  });

  it.each([
    ['javascript:alert(1)'],
    [`${ID}"><script>`],
    ['/subscriptions/my-sub/resourceGroups/rg/providers/microsoft.insights/components/app'],
    [ID.replace('microsoft.insights/components', 'Microsoft.OperationalInsights/workspaces')],
  ])('refuses %j: only an Application Insights resource id becomes part of a link', (value) => {
    expect(problemsOf({ APPINSIGHTS_RESOURCE_ID_SHOP: value })).toEqual([
      `APPINSIGHTS_RESOURCE_ID_SHOP must be an Application Insights resource id (/subscriptions/<subscription GUID>/resourceGroups/<group>/providers/microsoft.insights/components/<name>), found '${value}'`,
    ]);
  });

  it('refuses two settings that name one app with different resources', () => {
    expect(
      problemsOf({
        APPINSIGHTS_RESOURCE_ID_SHOP_PROD: ID,
        'APPINSIGHTS_RESOURCE_ID_shop-prod': ID.replace('shop-rg', 'other-rg'),
      }),
    ).toEqual([
      'APPINSIGHTS_RESOURCE_ID_shop-prod and APPINSIGHTS_RESOURCE_ID_SHOP_PROD name the same app (SHOP_PROD) with different resource ids; keep one',
    ]);
  });

  it('refuses a setting that names no app', () => {
    expect(problemsOf({ APPINSIGHTS_RESOURCE_ID_: ID })).toEqual([
      'APPINSIGHTS_RESOURCE_ID_: name the app after APPINSIGHTS_RESOURCE_ID_, e.g. APPINSIGHTS_RESOURCE_ID_SHOP_PROD',
    ]);
  });
});
