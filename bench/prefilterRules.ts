/**
 * Selective rule sets for the prefilter section (issue 12 §5): conditions on `requests` that keep
 * well under 1% of the generated rows, as alerts do. Their literals come from the generator
 * (scripts/generator/*): random hex ids, route numbers 1–99,999, client IPs `10.a.b.c` and search
 * terms give rare values; a few literals occur nowhere, as in a real rule set. Classic column names,
 * so the same queries run on Continuous Export and on workspace (diagnostic settings) rows.
 *
 * Order matters: workload 1 is the first rule, workload 2 the first ten, workload 3 all of them; the
 * first ten read like alerts a team would write.
 */
const ALERT_LIKE: readonly string[] = [
  'name == "DELETE /api/cart/{id}" and toint(resultCode) >= 500',
  'url contains "/api/orders/4242" and duration > 100ms',
  'operation_Id startswith "c0ffe"',
  'toint(resultCode) >= 500 and customDimensions.tenant == "acme"',
  'name has "größe-777" or url has "4711"',
  'url matches regex "/api/orders/99[0-9]{3}$" and resultCode == "503"',
  'cloud_RoleInstance =~ "WORKER01" and url endswith "/api/cart/1234"',
  'customDimensions["Build Id"] == "20240305.2" and operation_ParentId endswith "ab_1."',
  'tostring(customDimensions.tenant) =~ "TAILSPIN"',
  'not(success) and url contains_cs "q=usb-c%20hub&page=5" and client_CountryOrRegion == "Japan"',
];

/** Literal variants of each operator kind over the columns of a Requests row. */
const VARIANTS: readonly string[] = [
  // == and =~ on route names that carry a number (40% of names are not templated)
  ...['GET /api/orders/31337', 'DELETE /api/cart/500', 'GET /api/orders/12345'].map((n) => `name == "${n}"`),
  ...['get /api/orders/2024', 'DELETE /API/CART/77'].map((n) => `name =~ "${n}"`),
  // in and in~ on ids and names
  'operation_Name in ("GET /api/orders/1001", "GET /api/orders/1002", "GET /api/orders/1003")',
  'operation_Name in~ ("post /api/orders/1", "get /api/orders/99999", "GET /API/ORDERS/50000")',
  'cloud_RoleName in ("Contoso.Jobs", "Contoso.Gateway")',
  'customDimensions.tenant in~ ("acme", "tailspin") and toint(resultCode) >= 500',
  // has / has_cs on url terms
  ...['31415', '27182', '16180'].map((n) => `url has "${n}"`),
  'url has_cs "q=caf%C3%A9&page=4" and toint(resultCode) >= 400',
  'url has_cs "Fabrikam"',
  // contains / contains_cs
  ...['/navigation/00', '/navigation/ff', '/api/cart/88'].map((t) => `url contains "${t}"`),
  ...['/navigation/a1b', 'ORDERS/123'].map((t) => `name contains_cs "${t}"`),
  'operation_ParentId contains ".dead"',
  // startswith / startswith_cs on random hex ids
  ...['abc', '0000', 'f00'].map((p) => `operation_Id startswith "${p}"`),
  ...['|beef', '|9ab'].map((p) => `id startswith_cs "${p}"`),
  'operation_ParentId startswith "|cafe"',
  // endswith / endswith_cs
  ...['/api/orders/777', '/api/cart/4', 'page=5'].map((s) => `url endswith "${s}"`).slice(0, 2),
  ...['.12345678_', 'ff_'].map((s) => `id endswith_cs "${s}"`),
  'operation_ParentId endswith "0123_1."',
  // matches regex with a required literal
  'url matches regex "/navigation/7[0-9]{7}$"',
  'name matches regex "^GET /produkte/größe-9[0-9]{4}$"',
  'operation_Id matches regex "^beef[0-9a-f]+"',
  'url matches regex "q=shoes&page=5$" and duration > 1s',
  // numeric == on the result code
  ...['401', '503'].map((code) => `resultCode == "${code}" and name == "POST /api/checkout" and duration > 2s`),
  'resultCode == "500" and url contains "/api/orders/55"',
  // bool ==
  'success == false and url contains "/api/cart/9"',
  'success == true and name == "GET /api/orders/424"',
  // customDimensions.key and ["key"]
  // (not the client IP: a number-like literal gives no needle in workspace Properties, which may hold numbers)
  'customDimensions["tenant"] in ("litware", "tailspin")',
  'customDimensions.tenant startswith "wingtip"',
  'customDimensions.tenant contains "spin"',
  'customDimensions["region"] endswith "central"',
  'customDimensions.region =~ "WESTEUROPE" and url contains "/api/cart/12"',
  'customDimensions.tenant == "acme"',
  'customDimensions["Build Id"] == "20240229.9" and url has "31337"',
  'customDimensions.region == "brazilsouth"',
  'customDimensions.tenant == "Müller GmbH" and url has "31337"',
  // tostring()
  'tostring(customDimensions.tenant) == "litware"',
  'tostring(name) == "GET /api/orders/4040"',
  'tostring(customDimensions.region) == "westeurope" and url endswith "/api/orders/9"',
  // and / or / not combinations, some with a conjunct that gives no needle
  'duration > 1s and url contains "/api/orders/808"',
  'itemCount > 1 and operation_Id startswith "dad"',
  'not(name has "health") and url contains "/api/cart/66"',
  'not(success) and (url has "12321" or url has "45654")',
  '(name == "GET /api/orders/2222" or name == "GET /api/orders/3333") and duration > 10ms',
  'url endswith "/api/orders/1" or url endswith "/api/orders/2" or url endswith "/api/orders/3"',
  'client_City == "Munich" and url contains "/api/orders/606"',
  'client_StateOrProvince == "Tokyo" and url has_cs "7777"',
  'client_CountryOrRegion =~ "NETHERLANDS" and operation_Id startswith "ee"',
  'cloud_RoleInstance in~ ("rd0003ff8a21c4", "worker02") and url contains "/api/orders/1111"',
  'cloud_RoleName == "Contoso.Web" and id contains "beef"',
  'sdkVersion == "node:2.9.5" and operation_Id startswith "12"',
  'sdkVersion startswith "dotnetc" and operation_ParentId endswith "ab_1."',
  'url startswith "http://www.contoso.de/produkte/gr" and resultCode == "404"',
  'url startswith_cs "https://shop.contoso.com/api/search?q=ノート" and duration > 500ms',
  'url startswith "https://api.contoso.com/api/cart/2"',
  'not(url has "api") and url contains "/navigation/c"',
  'url contains "/api/orders/6666" or name contains "/api/orders/6666"',
  'operation_Name startswith "GET /api/orders/8" and operation_Name endswith "88"',
  'name hasprefix "DELETE" and url endswith "/api/cart/321"',
  'id contains "deadbeef" or operation_Id contains "deadbeef"',
  'client_City == "東京" and url endswith "/api/orders/11"',
  ...['11111', '22222', '54321'].map((n) => `url has "${n}"`),
  ...['9e9', 'bad', 'd00d'].map((p) => `operation_Id startswith "${p}"`),
  'name endswith "/api/orders/4444"',
  'name endswith_cs "/api/cart/999"',
  'url contains "/navigation/be"',
  'url contains_cs "/navigation/DEAD"',
  'operation_ParentId startswith_cs "|f1"',
  'id contains "e5e5e"',
  'client_City =~ "paris" and url has "9999"',
  'url matches regex "/api/cart/[0-9]+7$" and success == false',
  'resultCode == "401" and duration > 2s',
  'name startswith_cs "POST /api/orders/"',
];

/** 100 rules: the ten alert-like ones first, then variants until every operator kind is in. */
export const SELECTIVE_QUERIES: readonly string[] = [...ALERT_LIKE, ...VARIANTS].map(
  (condition) => `requests | where ${condition}`,
);

export const SELECTIVE_COUNTS = [1, 10, 100] as const;

/** The first `count` selective rules. */
export function selectiveQueries(count: number): string[] {
  if (count > SELECTIVE_QUERIES.length)
    throw new RangeError(`only ${SELECTIVE_QUERIES.length} selective rules, not ${count}`);
  return SELECTIVE_QUERIES.slice(0, count);
}
