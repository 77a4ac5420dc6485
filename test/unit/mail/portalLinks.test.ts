import { gunzipSync } from 'node:zlib';

import { componentOf, isItemId, isPortalHref, itemLink, logsQueryLink } from '../../../shared/core/mail/portalLinks';

const ID =
  '/subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/shop-rg/providers/microsoft.insights/components/shop-prod';
const ENCODED_ID =
  '%2Fsubscriptions%2F0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0%2FresourceGroups%2Fshop-rg%2Fproviders%2Fmicrosoft.insights%2Fcomponents%2Fshop-prod';
const COMPONENT = componentOf(ID)!;
const AT = new Date('2024-03-05T13:05:01.123Z');

/** The query a Logs link carries, decoded the way the portal decodes it. */
function queryOf(href: string): string {
  const q = /\/q\/([^/]+)/.exec(href)?.[1] ?? '';
  return gunzipSync(Buffer.from(decodeURIComponent(q), 'base64')).toString('utf8');
}

describe('componentOf', () => {
  it('reads an Application Insights resource id into its parts, fixed segments in canonical case', () => {
    expect(componentOf(ID)).toEqual({
      id: ID,
      subscriptionId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      resourceGroup: 'shop-rg',
      name: 'shop-prod',
    });
  });

  it('takes the upper-cased resource ids diagnostic settings write', () => {
    const upper =
      '/SUBSCRIPTIONS/0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP-PROD';

    expect(componentOf(upper)?.id).toBe(
      '/subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/SHOP-RG/providers/microsoft.insights/components/SHOP-PROD',
    );
  });

  it.each([
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a quote in the name', `${ID}"onmouseover="alert(1)`],
    ['markup in the group', ID.replace('shop-rg', '<b>rg</b>')],
    ['a newline', `${ID}\nX-Evil: 1`],
    ['a space', ID.replace('shop-prod', 'shop prod')],
    ['a subscription that is no GUID', ID.replace('0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', 'my-sub')],
    ['another resource type', ID.replace('microsoft.insights/components', 'Microsoft.Web/sites')],
    ['a workspace', ID.replace('microsoft.insights/components', 'Microsoft.OperationalInsights/workspaces')],
    ['a longer path', `${ID}/extra`],
    ['query and fragment', `${ID}?x=1#y`],
    ['a name ending in a dot', `${ID}.`],
    ['a huge value', `${ID}${'a'.repeat(100_000)}`],
    ['no string', 42],
  ])('rejects %s', (_, value) => {
    expect(componentOf(value)).toBeUndefined();
  });
});

describe('isItemId', () => {
  it.each(['168d425a-44e4-11ea-a71e-0d3a5b6c7d8e', '9e3779b15be54fd6b0f0a4c4c1b2a3f4', '09d760d34d75e847'])(
    'takes %s',
    (id) => {
      expect(isItemId(id)).toBe(true);
    },
  );

  it.each(['|56195746db76184da4b92614e4b87be6.79bb1b2b_', '12345', 'javascript:1', '"><x', `${'a'.repeat(65)}`, 7])(
    'refuses %s',
    (id) => {
      expect(isItemId(id)).toBe(false);
    },
  );
});

describe('logsQueryLink', () => {
  it('opens the rule’s query on the resource over the time span, gzipped and base64-encoded', () => {
    // Act
    const href = logsQueryLink(
      COMPONENT,
      'requests\n| where toint(resultCode) >= 500',
      new Date('2024-03-05T13:05:00Z'),
      new Date('2024-03-05T13:15:00Z'),
    );

    // Assert
    expect(href).toMatch(
      new RegExp(
        `^https://portal\\.azure\\.com/#blade/Microsoft_Azure_Monitoring_Logs/LogsBlade/resourceId/${ENCODED_ID}` +
          '/source/LogsBlade\\.AnalyticsShareLinkToQuery/q/H4sI[A-Za-z0-9%]+' +
          '/timespan/2024-03-05T13%3A05%3A00\\.000Z%2F2024-03-05T13%3A15%3A00\\.000Z$',
      ),
    );
    expect(queryOf(href)).toBe('requests\n| where toint(resultCode) >= 500');
    expect(isPortalHref(href)).toBe(true);
  });

  it('leaves the time span out when the times are unknown, for the portal’s default', () => {
    const href = logsQueryLink(COMPONENT, 'requests', new Date(NaN), new Date(NaN));

    expect(href).not.toContain('/timespan/');
    expect(isPortalHref(href)).toBe(true);
  });

  it('keeps a query of quotes, markup and line breaks out of the link’s characters', () => {
    const query = `requests | where name == "</a><script>alert('x')</script>"\r\n| take 1`;

    const href = logsQueryLink(COMPONENT, query, AT, AT);

    expect(href).toMatch(/^[A-Za-z0-9%._~\-/#:]+$/);
    expect(queryOf(href)).toBe(query);
  });

  it('writes the same link on every platform: the gzip header names no OS', () => {
    const href = logsQueryLink(COMPONENT, 'requests', AT, AT);

    expect(Buffer.from(decodeURIComponent(/\/q\/([^/]+)/.exec(href)?.[1] ?? ''), 'base64')[9]).toBe(255);
  });
});

describe('itemLink', () => {
  it('opens the end-to-end transaction of an item with a GUID id', () => {
    const link = itemLink(COMPONENT, {
      table: 'requests',
      itemId: '168d425a-44e4-11ea-a71e-0d3a5b6c7d8e',
      operationId: '9e3779b15be54fd6b0f0a4c4c1b2a3f4',
      timestamp: AT,
    });

    expect(link).toEqual({
      label: 'End-to-end transaction',
      href:
        'https://portal.azure.com/#blade/AppInsightsExtension/DetailsV2Blade/DataModel/' +
        '%7B%22eventId%22%3A%22168d425a-44e4-11ea-a71e-0d3a5b6c7d8e%22%2C%22timestamp%22%3A%222024-03-05T13%3A05%3A01.123Z%22%2C%22eventTable%22%3A%22requests%22%7D' +
        '/ComponentId/%7B%22Name%22%3A%22shop-prod%22%2C%22ResourceGroup%22%3A%22shop-rg%22%2C%22SubscriptionId%22%3A%220f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0%22%7D',
    });
  });

  it('falls back to the operation in Log Analytics, an hour either side, when the item has no usable id', () => {
    const link = itemLink(COMPONENT, {
      table: 'requests',
      itemId: undefined,
      operationId: '9e3779b15be54fd6b0f0a4c4c1b2a3f4',
      timestamp: AT,
    });

    expect(link?.label).toBe('Operation in Log Analytics');
    expect(link?.href).toContain('/timespan/2024-03-05T12%3A05%3A01.123Z%2F2024-03-05T14%3A05%3A01.123Z');
    expect(queryOf(link?.href ?? '')).toBe(
      'union requests, dependencies, exceptions, traces, customEvents, pageViews, availabilityResults\n' +
        '| where operation_Id == "9e3779b15be54fd6b0f0a4c4c1b2a3f4"\n' +
        '| order by timestamp asc',
    );
  });

  it('uses the operation for tables the transaction view does not open', () => {
    const link = itemLink(COMPONENT, {
      table: 'performanceCounters',
      itemId: '168d425a-44e4-11ea-a71e-0d3a5b6c7d8e',
      operationId: '9e3779b15be54fd6b0f0a4c4c1b2a3f4',
      timestamp: AT,
    });

    expect(link?.label).toBe('Operation in Log Analytics');
  });

  it.each([
    ['javascript: ids', 'javascript:alert(1)', 'javascript:alert(1)', AT],
    ['quotes and markup', '"><img src=x>', `" or 1==1 or "`, AT],
    ['line breaks', 'abc\n', '123\r\n', AT],
    ['huge ids', 'a'.repeat(1_000_000), 'b'.repeat(1_000_000), AT],
    ['objects', { toString: (): string => 'x' }, ['y'], AT],
    ['no usable time', '168d425a-44e4-11ea-a71e-0d3a5b6c7d8e', '9e3779b15be54fd6b0f0a4c4c1b2a3f4', new Date(NaN)],
    ['a time that is text', '168d425a-44e4-11ea-a71e-0d3a5b6c7d8e', '9e3779b15be54fd6b0f0a4c4c1b2a3f4', '2024-03-05'],
  ])('makes no link of %s', (_, itemId, operationId, timestamp) => {
    expect(itemLink(COMPONENT, { table: 'requests', itemId, operationId, timestamp })).toBeUndefined();
  });
});

describe('isPortalHref', () => {
  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['another host', 'https://portal.azure.com.evil.example/#blade/x'],
    ['a quote', 'https://portal.azure.com/#blade/x"onclick="y'],
    ['a space', 'https://portal.azure.com/#blade/x y'],
    ['markup', 'https://portal.azure.com/#blade/<b>'],
    ['a line break', 'https://portal.azure.com/#blade/x\ny'],
    ['the plain portal', 'https://portal.azure.com/'],
  ])('refuses %s', (_, href) => {
    expect(isPortalHref(href)).toBe(false);
  });
});
