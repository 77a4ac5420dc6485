/**
 * Word lists the generator draws from. A few entries are deliberately non-ASCII (umlauts, CJK, an
 * emoji outside the BMP) so readers meet multi-byte characters split across stream chunks.
 */
export const HOSTS = [
  'shop.contoso.com',
  'api.contoso.com',
  'fabrikam-web.azurewebsites.net',
  'www.contoso.de',
] as const;

export const ROLES = [
  { roleName: 'Contoso.Web', instances: ['RD0003FF8A21C4', 'RD0003FF8A3B17', 'RD0003FF8A5D02'] },
  { roleName: 'Contoso.Api', instances: ['api-7f9c5d-x2kq', 'api-7f9c5d-lm8w'] },
  { roleName: 'Contoso.Worker', instances: ['WORKER01', 'WORKER02'] },
] as const;

export const TENANTS = [
  'contoso',
  'fabrikam',
  'northwind',
  'adventure-works',
  'Müller GmbH',
  '東京支店',
  'Ωmega 🚀 Labs',
] as const;
export const REGIONS = ['westeurope', 'northeurope', 'eastus', 'japaneast'] as const;
export const BUILD_IDS = ['20240301.4', '20240304.1', '20240305.2'] as const;

export const LOCATIONS = [
  { continent: 'Europe', country: 'Germany', province: 'Bavaria', city: 'Munich' },
  { continent: 'Europe', country: 'Netherlands', province: 'South Holland', city: 'Nieuwerkerk aan den IJssel' },
  { continent: 'Europe', country: 'France', province: 'Île-de-France', city: 'Paris' },
  { continent: 'North America', country: 'United States', province: 'Washington', city: 'Redmond' },
  { continent: 'Asia', country: 'Japan', province: 'Tokyo', city: '東京' },
  { continent: 'Europe', country: 'Germany' },
] as const;

export const BROWSERS = [
  { browser: 'Chrome', browserVersion: 'Chrome 122.0', os: 'Windows', osVersion: 'Windows 10' },
  { browser: 'Edge', browserVersion: 'Edge 122.0', os: 'Windows', osVersion: 'Windows 11' },
  { browser: 'Safari', browserVersion: 'Safari 17.3', os: 'iOS', osVersion: 'iOS 17.3' },
  { browser: 'Firefox', browserVersion: 'Firefox 123.0', os: 'Linux', osVersion: 'Linux' },
] as const;

export const LOCALES = ['en-US', 'de-DE', 'nl-NL', 'fr-FR', 'ja-JP'] as const;

/** Server routes; `{n}` becomes a number, `{h}` eight hex digits. */
export const ROUTES = [
  { method: 'GET', path: '/', weight: 10 },
  { method: 'GET', path: '/api/orders/{n}', weight: 20 },
  { method: 'POST', path: '/api/orders', weight: 8 },
  { method: 'POST', path: '/api/checkout', weight: 6 },
  { method: 'GET', path: '/api/products', weight: 15 },
  { method: 'GET', path: '/api/search', weight: 12, query: true },
  { method: 'GET', path: '/navigation/{h}', weight: 8, query: true },
  { method: 'GET', path: '/produkte/größe-{n}', weight: 3 },
  { method: 'GET', path: '/health', weight: 5 },
  { method: 'DELETE', path: '/api/cart/{n}', weight: 2 },
] as const;

/**
 * The storefront's checkout, which demos and tests plant among generated requests (`plantRequest`).
 * Not among ROUTES on purpose: generated traffic never calls it, so a rule on it matches exactly the
 * rows planted (the API's own `POST /api/checkout` is there).
 */
export const STOREFRONT_CHECKOUT = { method: 'POST', path: '/checkout', host: 'shop.contoso.com' } as const;

export const PAGES = [
  { title: 'Home – Contoso', path: '/' },
  { title: 'Checkout', path: '/checkout' },
  { title: 'Product details', path: '/products/{n}' },
  { title: 'Warenkorb', path: '/warenkorb' },
  { title: 'マイページ', path: '/account' },
] as const;

export const SEARCH_TERMS = ['shoes', 'red dress', 'größe 42', 'café', 'ノートPC', 'usb-c hub'] as const;

export const EVENT_NAMES = [
  'OrderPlaced',
  'CartAbandoned',
  'UserSignedIn',
  'PaymentDeclined',
  'SearchPerformed',
] as const;

export const LOGGERS = [
  'Contoso.Orders.OrderService',
  'Contoso.Payments.Gateway',
  'Microsoft.AspNetCore.Hosting.Diagnostics',
  'Contoso.Worker.QueueListener',
] as const;

export const AVAILABILITY_TESTS = [
  { testName: 'homepage-ping', runLocations: ['West Europe', 'North Europe', 'East US'] },
  { testName: 'checkout-multistep', runLocations: ['West Europe', 'Japan East'] },
] as const;
