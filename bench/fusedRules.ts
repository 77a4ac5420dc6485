import { createReadStream } from 'node:fs';
import { basename } from 'node:path';

import { RE2JS } from 're2js';

import { missingElement } from '../shared/core/defined';
import { readExportRows } from '../shared/core/export/readExportRows';
import { metricMs } from '../shared/core/export/records/durations';
import { hasTerm } from '../shared/core/rules/stringOperators';

/**
 * A bound, not a product path: the benchmark's 100 rules (bench/rulesVariants.ts) written by hand as
 * one function over the parsed export row, each column read once, no `toRecords`, no compiled
 * closures. It is what an ideal column-at-a-time engine could emit for this rule set, so its speed
 * tells whether any engine could meet the 100-rule target on a reader that parses every row.
 * The rules section checks its counts against the compiled rules' counts, rule by rule.
 */
const CODES = [500, 400, 404, 503, 300, 201, 204];
const DURATIONS_MS = [1000, 500, 2000, 250, 5000, 100, 3000];
const TENANTS = ['fabrikam', 'contoso', 'northwind', 'adventure-works', 'Müller GmbH', '東京支店', 'Ωmega 🚀 Labs'];
const NAME_WORDS = ['checkout', 'orders', 'search', 'health', 'produkte', 'cart', 'navigation'];
const ROLE_LISTS = [
  ['Contoso.Api', 'Contoso.Worker'],
  ['Contoso.Web'],
  ['Contoso.Worker'],
  ['Contoso.Api', 'Contoso.Web'],
  ['Contoso.Gateway', 'Contoso.Worker'],
  ['Contoso.Api'],
  ['Contoso.Web', 'Contoso.Worker', 'Contoso.Jobs'],
].map((names) => new Set(names));
const COUNTRIES = ['germany', 'japan', 'france', 'united states', 'netherlands', 'spain', 'germany'];
const PATTERNS = [
  '^GET /api/orders/[0-9]+$',
  'checkout',
  '^(POST|DELETE) ',
  'größe-[0-9]{3}$',
  '[{]id[}]',
  'search$',
  '^GET /navigation/[0-9a-f]{8}$',
].map((p) => RE2JS.compile(p));
const URL_PREFIXES = [
  'https://shop.contoso.com/api/',
  'http://',
  'https://www.contoso.de/produkte',
  'https://api.contoso.com/api/orders',
  'https://fabrikam-web',
  'http://api.',
  'https://shop.contoso.com/api/search?q=',
];
const RANGES_MS = [
  [100, 1000],
  [1000, 5000],
  [0, 10],
  [500, 2000],
  [2000, 30000],
  [10, 20],
  [50, 60],
] as const;
const INSTANCE_LISTS = [
  ['api-7f9c5d-x2kq', 'worker01'],
  ['rd0003ff8a21c4'],
  ['api-7f9c5d-lm8w', 'worker02', 'rd0003ff8a3b17'],
].map((names) => new Set(names));
const BUILDS = ['20240305.2', '20240304.1', '20240301.4'];
const SINCE = ['12:59', '12:30', '12:55', '12:00', '12:45', '13:00', '12:50'].map((time) =>
  Date.parse(`2024-03-05T${time}:00Z`),
);
const REGIONS = ['westeurope', 'eastus', 'japaneast', 'northeurope'];
const TEMPLATES = 15;
export const FUSED_RULE_COUNT = 100;

type Json = Record<string, unknown>;
const objectAt = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const textAt = (value: unknown): string => (typeof value === 'string' ? value : '');
const present = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

function add(matches: Int32Array, rule: number): void {
  matches[rule] = (matches[rule] ?? 0) + 1;
}

/** Adds to `matches[r]` when bench rule r keeps the row (rule r = template r % 15, variant r / 15). */
function evaluateRow(document: Json, matches: Int32Array): void {
  const item = objectAt((document.request as unknown[] | undefined)?.[0]);
  const context = objectAt(document.context);
  const device = objectAt(context.device);
  const location = objectAt(context.location);
  const custom = objectAt(context.custom);
  const name = textAt(item.name);
  const url = textAt(item.url);
  const resultCode =
    typeof item.responseCode === 'number' || typeof item.responseCode === 'string' ? String(item.responseCode) : '';
  const code = /^\d+$/.test(resultCode) ? Number(resultCode) : Number.NaN;
  const success = item.success;
  const count = typeof item.count === 'number' ? item.count : undefined;
  const duration = metricMs(item.durationMetric, count) ?? Number.NaN;
  let tenant = '';
  let region = '';
  let build = '';
  let cart: unknown;
  for (const pair of Array.isArray(custom.dimensions) ? custom.dimensions : []) {
    const entry = objectAt(pair);
    if ('tenant' in entry) tenant = textAt(entry.tenant);
    else if ('region' in entry) region = textAt(entry.region);
    else if ('Build Id' in entry) build = textAt(entry['Build Id']);
    else if ('cart' in entry) cart = entry.cart;
  }
  const timestamp = Date.parse(textAt(objectAt(context.data).eventTime));
  const nameLower = name.toLowerCase();
  const urlLower = url.toLowerCase();
  const role = textAt(device.roleName);
  const instance = textAt(device.roleInstance).toLowerCase();
  const country = textAt(location.country).toLowerCase();
  const nonEmpty = [
    location.city,
    objectAt(context.user).authId,
    objectAt(context.operation).parentId,
    location.province,
    objectAt(context.session).id,
    cart,
    custom.metrics,
  ];

  for (let v = 0; v * TEMPLATES < FUSED_RULE_COUNT; v++) {
    const at = v * TEMPLATES;
    const all = at + TEMPLATES <= FUSED_RULE_COUNT;
    // Checked inline rather than through `at`: the bound's inner loop should not pay a call for it.
    const minCode = CODES[v];
    const minDuration = DURATIONS_MS[v];
    const word = NAME_WORDS[v];
    const roles = ROLE_LISTS[v];
    const pattern = PATTERNS[v];
    const urlPrefix = URL_PREFIXES[v];
    if (
      minCode === undefined ||
      minDuration === undefined ||
      word === undefined ||
      roles === undefined ||
      pattern === undefined ||
      urlPrefix === undefined
    )
      throw missingElement('rule variants', v, CODES.length);
    if (code >= minCode) add(matches, at);
    if (duration > minDuration) add(matches, at + 1);
    if (tenant === TENANTS[v]) add(matches, at + 2);
    if (nameLower.includes(word)) add(matches, at + 3);
    if (urlTest(v, url, urlLower)) add(matches, at + 4);
    if (roles.has(role)) add(matches, at + 5);
    if (success === false && country === COUNTRIES[v]) add(matches, at + 6);
    if (pattern.matcher(name).find()) add(matches, at + 7);
    if (present(nonEmpty[v])) add(matches, at + 8);
    if (urlLower.startsWith(urlPrefix)) add(matches, at + 9);
    if (!all) continue;
    const range = RANGES_MS[v];
    const instances = INSTANCE_LISTS[v >> 1];
    const since = SINCE[v];
    if (range === undefined || instances === undefined || since === undefined)
      throw missingElement('full rule variants', v, RANGES_MS.length);
    const [low, high] = range;
    if (duration >= low && duration <= high) add(matches, at + 10);
    if (resultCode.startsWith(v % 2 === 0 ? '5' : '4') && !instances.has(instance)) add(matches, at + 11);
    if (build === BUILDS[v >> 1] && code >= (v % 2 === 0 ? 500 : 400)) add(matches, at + 12);
    if (timestamp > since && success === false) add(matches, at + 13);
    if (lastTemplate(v, nameLower, region, duration, count, resultCode)) add(matches, at + 14);
  }
}

function urlTest(v: number, url: string, urlLower: string): boolean {
  switch (v) {
    case 0:
      return hasTerm(urlLower, 'api', true, true);
    case 1:
      return hasTerm(urlLower, 'search', true, true);
    case 2:
      return !hasTerm(urlLower, 'health', true, true);
    case 3:
      return urlLower.endsWith('page=3');
    case 4:
      return hasTerm(url, 'Contoso', true, true);
    case 5:
      return hasTerm(urlLower, 'prod', true, false);
    default:
      return !urlLower.includes('contoso');
  }
}

function lastTemplate(
  v: number,
  nameLower: string,
  region: string,
  duration: number,
  count: number | undefined,
  resultCode: string,
): boolean {
  if (v < REGIONS.length) return region === REGIONS[v] && duration > 1000;
  if (v === 4)
    return !hasTerm(nameLower, 'health', true, true) && count !== undefined && count > 1 && resultCode === '404';
  return !hasTerm(nameLower, 'orders', true, true) && count === 1 && (resultCode === '500' || resultCode === '503');
}

/** Streams the blob through our reader and runs the fused rules on every parsed row. */
export async function readParseFused(
  file: string,
): Promise<{ rows: number; badRows: number; bytes: number; matches: number[] }> {
  const matches = new Int32Array(FUSED_RULE_COUNT);
  const rows = readExportRows(createReadStream(file), { blobName: basename(file) });
  for await (const row of rows) evaluateRow(row.document, matches);
  return { rows: rows.stats.rows, badRows: rows.stats.badRows, bytes: rows.stats.bytes, matches: [...matches] };
}
