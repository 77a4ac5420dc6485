import fc from 'fast-check';

import type { TelemetryRecord } from '../../../../shared/core/export/telemetryRecord';
import { toRecords } from '../../../../shared/core/export/toRecords';
import { workspaceRowToRecords } from '../../../../shared/core/export/workspace/workspaceRowToRecords';
import type { RawFormat } from '../../../../shared/core/rules/prefilter/rawFilter';

// Rows and rules for the soundness property of issue 12 §1: `exact(record) ⇒ raw(bytes)`. Values and
// literals come from one small vocabulary so that rules often match; rows spell them every way JSON
// allows (escapes, whitespace, exponents) and the normalizers turn into the same record.

/** Text that looks alike under case folding, needs escapes, or is not ASCII. */
const WORDS = [
  'acme',
  'Acme',
  'ACME',
  'fabrikam',
  'GET /api/orders/17',
  'POST /cart',
  'health',
  'Contoso.Api',
  'contoso.api',
  'Müller GmbH',
  'MÜLLER',
  'İstanbul',
  'istanbul',
  '\u212aelvin',
  'kelvin',
  '東京支店',
  'Ωmega 🚀',
  'x/y',
  '500',
  '5',
  '50',
  '404',
  '5e2',
  'true',
  'True',
  'false',
  '1.5',
  '20240305.2',
  'has-term here',
  'term',
  '',
];

/** Words JSON must escape: a row holding one has a backslash, which passes every filter. */
const ESCAPED_WORDS = ['a"b', 'back\\slash', 'tab\there'];

const word = fc.oneof(
  { weight: 200, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.constantFrom(...ESCAPED_WORDS) },
);

/** A literal for a rule: a word, a piece of one (so substring operators hit), or its other case. */
export const literalArb: fc.Arbitrary<string> = fc.oneof(
  word,
  word.chain((w) =>
    fc.tuple(fc.nat(w.length), fc.nat(w.length)).map(([a, b]) => w.slice(Math.min(a, b), Math.max(a, b))),
  ),
  word.map((w) => w.toUpperCase()),
  word.map((w) => w.toLowerCase()),
);

/** An integer literal or value, near the result codes. */
const codeArb = fc.constantFrom(0, 5, 50, 200, 404, 500, 503, 5000);

// ---------------------------------------------------------------------------------------------------
// Rows: a JSON value tree whose leaves choose their own spelling.

type Leaf =
  | { readonly str: string; readonly escape: readonly boolean[]; readonly slash: boolean }
  | { readonly num: number; readonly text: string };
type Tree = Leaf | boolean | null | readonly Tree[] | { readonly [key: string]: Tree };

function isLeaf(value: Tree): value is Leaf {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && ('str' in value || 'num' in value);
}

/** A string leaf: some characters spelled `\uXXXX`, `/` maybe as `\/`. */
const stringLeaf = (text: fc.Arbitrary<string>): fc.Arbitrary<Leaf> =>
  text.chain((str) =>
    fc.record({
      str: fc.constant(str),
      escape: fc.array(
        fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        { minLength: str.length, maxLength: str.length },
      ),
      slash: fc.boolean(),
    }),
  );

/** A number leaf: the number, and one of the texts JSON.parse reads as that number. */
const numberLeaf = (value: fc.Arbitrary<number>): fc.Arbitrary<Leaf> =>
  value.chain((num) => {
    const spellings = [
      String(num),
      `${num}.0`,
      `${num}e0`,
      `${num * 10}e-1`,
      `${num}E+0`,
      `${num / 100}e2`,
      `${num / 10}E1`,
    ];
    if (num > 0) spellings.push(`${num - 1}.99999999999999999`);
    if (num > 1) spellings.push(`${num - 1}99999999.99999999e-8`);
    return fc.constantFrom(...spellings).map((text) => ({ num, text }));
  });

/** Spellings of a rule's literal that a matching value might have: other cases, folds, pieces. */
function variantsOf(text: string): string[] {
  return [
    text,
    text.toUpperCase(),
    text.toLowerCase(),
    text.replace(/k/gi, '\u212a'),
    text.replace(/i/g, '\u0130'),
    `x${text}y`,
    `${text}s`,
    text.slice(0, -1),
    text.slice(1),
  ];
}

/** Literals of a query: its strings, and the plain words inside its regular expressions. */
export function literalsOf(query: string): string[] {
  const found: string[] = [];
  for (const m of query.matchAll(/@?"((?:[^"\\]|\\.)*)"/g)) {
    const raw = m[0].startsWith('@') ? (m[1] as string) : (JSON.parse(`"${m[1] as string}"`) as string);
    found.push(raw, ...raw.split(/[^\p{L}\p{N} /]+/u).filter((w) => w !== ''));
  }
  return found;
}
const space = fc.constantFrom('', '', ' ', '  ', '\t');

function serialize(tree: Tree, gaps: () => string, escapes = true): string {
  if (tree === null || typeof tree === 'boolean') return String(tree);
  if (isLeaf(tree)) {
    if ('num' in tree) return tree.text;
    let out = '"';
    [...tree.str].forEach((ch, i) => {
      if (ch === '"') out += '\\"';
      else if (ch === '\\') out += '\\\\';
      else if (escapes && tree.escape[i] === true)
        out += [...Array(ch.length).keys()].map((u) => `\\u${ch.charCodeAt(u).toString(16).padStart(4, '0')}`).join('');
      else if (ch < ' ') out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
      else out += ch === '/' && tree.slash && escapes ? '\\/' : ch;
    });
    return `${out}"`;
  }
  if (Array.isArray(tree)) return `[${tree.map((t) => serialize(t, gaps, escapes)).join(`,${gaps()}`)}]`;
  const entries = Object.entries(tree as Record<string, Tree>);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}${gaps()}:${gaps()}${serialize(v, gaps, escapes)}`).join(`,${gaps()}`)}}`;
}

/** Optional members: absent, or present with a value drawn from `value`. */
function members(shape: Record<string, fc.Arbitrary<Tree>>): fc.Arbitrary<Record<string, Tree>> {
  return fc.record(shape, { requiredKeys: [] }) as fc.Arbitrary<Record<string, Tree>>;
}

const dimensionKey = fc.constantFrom('tenant', 'Build Id', 'region');

interface Pools {
  readonly stringValue: fc.Arbitrary<Leaf>;
  readonly code: fc.Arbitrary<Leaf>;
  readonly dimensionValue: fc.Arbitrary<Tree>;
}

function poolsFor(extraWords: readonly string[]): Pools {
  const extras = [...new Set(extraWords.flatMap(variantsOf))];
  const integers = [...new Set(extraWords.filter((w) => /^-?[0-9]{1,6}$/.test(w)).map(Number))];
  const text =
    extras.length === 0
      ? fc.oneof(word, literalArb)
      : fc.oneof(
          { weight: 2, arbitrary: fc.oneof(word, literalArb) },
          { weight: 3, arbitrary: fc.constantFrom(...extras) },
        );
  const stringValue = stringLeaf(text);
  const code = numberLeaf(integers.length === 0 ? codeArb : fc.oneof(codeArb, fc.constantFrom(...integers)));
  const dimensionValue: fc.Arbitrary<Tree> = fc.oneof(
    { weight: 4, arbitrary: stringValue },
    { weight: 1, arbitrary: code },
    { weight: 1, arbitrary: fc.boolean() },
  );
  return { stringValue, code, dimensionValue };
}

const ceRow = ({ stringValue, code, dimensionValue }: Pools): fc.Arbitrary<Tree> =>
  fc
    .record({
      request: members({
        id: stringValue,
        name: stringValue,
        url: stringValue,
        success: fc.boolean(),
        responseCode: fc.oneof(code, stringValue),
        durationMetric: numberLeaf(fc.constantFrom(0, 10_000, 5_000_000)).map((value) => ({
          value,
          count: { num: 1, text: '1' },
          sampledValue: value,
        })),
      }),
      device: members({ roleName: stringValue, roleInstance: stringValue, type: stringValue }),
      location: members({ city: stringValue, country: stringValue }),
      operation: members({ name: stringValue, id: stringValue }),
      // Single-key objects, keys repeating: the last string value of a key wins.
      dimensions: fc.array(
        fc.tuple(dimensionKey, dimensionValue).map(([k, v]) => ({ [k]: v })),
        { maxLength: 5 },
      ),
    })
    .map((r) => ({
      request: [r.request],
      internal: {
        data: {
          id: { str: 'f3d1', escape: [], slash: false },
          documentVersion: { str: '1.61', escape: [], slash: false },
        },
      },
      context: {
        data: {
          eventTime: { str: '2024-03-05T12:30:00.0000000Z', escape: [], slash: false },
          isSynthetic: false,
          samplingRate: { num: 100, text: '100.0' },
        },
        device: r.device,
        location: r.location,
        operation: r.operation,
        custom: { dimensions: r.dimensions },
      },
    }));

const workspaceRow = ({ stringValue, code, dimensionValue }: Pools): fc.Arbitrary<Tree> =>
  fc
    .record({
      columns: members({
        Id: stringValue,
        Name: stringValue,
        Url: stringValue,
        Success: fc.oneof(fc.boolean(), stringLeaf(fc.constantFrom('True', 'false', 'TRUE'))),
        ResultCode: fc.oneof(code, stringValue),
        DurationMs: numberLeaf(fc.constantFrom(0, 1, 500, 1500)),
        AppRoleName: stringValue,
        AppRoleInstance: stringValue,
        ClientCity: stringValue,
        OperationName: stringValue,
        _ResourceId: stringValue,
        resourceId: stringValue,
      }),
      properties: fc.option(fc.array(fc.tuple(dimensionKey, dimensionValue), { maxLength: 4 }), { nil: undefined }),
      propertiesAsText: fc.boolean(),
    })
    .map(({ columns, properties, propertiesAsText }) => {
      const row: Record<string, Tree> = {
        TimeGenerated: { str: '2024-03-05T12:30:00.1234567Z', escape: [], slash: false },
        Type: { str: 'AppRequests', escape: [], slash: false },
        ...columns,
      };
      if (properties !== undefined) {
        const bag = Object.fromEntries(properties) as Record<string, Tree>;
        // Properties may also arrive as a string holding JSON.
        row.Properties = propertiesAsText ? { str: serialize(bag, () => ''), escape: [], slash: false } : bag;
      }
      return row;
    });

export interface GeneratedRow {
  readonly format: RawFormat;
  readonly bytes: Buffer;
  readonly records: readonly TelemetryRecord[];
}

/** A row of `format` as bytes, with the records the real normalizer makes of it; values favour `extraWords`. */
export function rowArb(format: RawFormat, extraWords: readonly string[] = []): fc.Arbitrary<GeneratedRow> {
  const pools = poolsFor(extraWords);
  // Most rows spell every string without escapes: a row with one passes any filter, proving nothing.
  const escapes = fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
  return fc
    .tuple(
      format === 'continuousExport' ? ceRow(pools) : workspaceRow(pools),
      fc.array(space, { minLength: 64, maxLength: 64 }),
      escapes,
    )
    .map(([tree, gapList, withEscapes]) => {
      let g = 0;
      const text = serialize(tree, () => gapList[g++ % gapList.length] as string, withEscapes);
      let document: Record<string, unknown>;
      try {
        document = JSON.parse(text) as Record<string, unknown>;
      } catch (error) {
        throw new Error(`generated row is not JSON: ${text}`, { cause: error });
      }
      const result =
        format === 'continuousExport'
          ? toRecords(document, { telemetryType: 'Requests' })
          : workspaceRowToRecords(document, { table: 'AppRequests' });
      return { format, bytes: Buffer.from(text, 'utf8'), records: result.ok ? result.value : [] };
    });
}

// ---------------------------------------------------------------------------------------------------
// Rules: every operator kind, on columns of both schemas.

const CLASSIC_STRINGS = [
  'resultCode',
  'name',
  'url',
  'id',
  'cloud_RoleName',
  'cloud_RoleInstance',
  'client_City',
  'client_CountryOrRegion',
  'client_Type',
  'operation_Name',
  'itemType',
  'performanceBucket',
  'iKey',
];
const CLASSIC_DYNAMIC = [
  'customDimensions.tenant',
  'customDimensions["Build Id"]',
  'tostring(customDimensions.region)',
  "customDimensions['tenant']",
];
const WORKSPACE_STRINGS = [
  'ResultCode',
  'Name',
  'Url',
  'Id',
  'AppRoleName',
  'AppRoleInstance',
  'ClientCity',
  'ClientCountryOrRegion',
  'ClientType',
  'OperationName',
  'Type',
  '_ResourceId',
  'PerformanceBucket',
];
const WORKSPACE_DYNAMIC = ['Properties.tenant', 'Properties["Build Id"]', 'tostring(Properties.region)'];

// Negated operators always give `any`, so they are rarer: the property is about the needles.
const POSITIVE_OPERATORS = [
  '==',
  '=~',
  'contains',
  'contains_cs',
  'has',
  'has_cs',
  'hasprefix',
  'hasprefix_cs',
  'hassuffix',
  'hassuffix_cs',
  'startswith',
  'startswith_cs',
  'endswith',
  'endswith_cs',
];
const NEGATED_OPERATORS = ['!=', '!~', '!contains', '!contains_cs', '!has', '!startswith', '!endswith'];
const operatorArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...POSITIVE_OPERATORS) },
  { weight: 1, arbitrary: fc.constantFrom(...NEGATED_OPERATORS) },
);

/** Literals that numbers can spell: result codes, booleans, exponents. */
const numericLiteralArb = fc.constantFrom(
  '0',
  '5',
  '50',
  '200',
  '404',
  '500',
  '503',
  '5000',
  '5e2',
  '500.0',
  'true',
  'false',
  '-5',
  '1e+21',
);

/** A KQL string literal for `text`, in one of the spellings KQL has. */
function kqlString(text: string, verbatim: boolean): string {
  if (verbatim && !text.includes('"')) return `@"${text}"`;
  return JSON.stringify(text);
}

const REGEX_TEMPLATES: ReadonlyArray<(w: string) => string> = [
  (w) => w,
  (w) => `^${w}`,
  (w) => `${w}$`,
  (w) => `${w}s?`,
  (w) => `${w}*`,
  (w) => `(${w})?x`,
  (w) => `${w}|health`,
  (w) => `[a-z]+${w}`,
  (w) => `${w}.*/`,
  (w) => `^(GET|POST) ${w}`,
  (w) => `${w}+[0-9]{2}`,
  (w) => `${w}\\d`,
  () => 'GET /api/orders/[0-9]+$',
  () => 'ab*c',
];
const regexWord = fc.constantFrom('acme', 'GET /api', 'orders', 'Müller', 'api/', 'x/y', 'Contoso.Api', '5', '東京');

/** Times relative to the evaluation time; the rows are from 12:30 and the soundness check runs at 13:00. */
const RELATIVE_TIMES = ['ago(10m)', 'ago(1h)', 'ago(1d)', 'now()', 'now(-45m)'];

function conditionArbs(
  strings: readonly string[],
  dynamics: readonly string[],
  numeric: readonly string[],
  time: string,
): { leaf: fc.Arbitrary<string>; tree: fc.Arbitrary<string> } {
  // The columns whose raw spelling differs from their value (result codes, Properties) come up most.
  const [code, ...others] = strings;
  const column = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...others) },
    { weight: 2, arbitrary: fc.constant(code as string) },
    { weight: 2, arbitrary: fc.constantFrom(...dynamics) },
  );
  const literal = fc.oneof({ weight: 3, arbitrary: literalArb }, { weight: 1, arbitrary: numericLiteralArb });
  const comparison = fc
    .tuple(column, operatorArb, literal, fc.boolean())
    .map(([c, op, lit, verbatim]) => `${c} ${op} ${kqlString(lit, verbatim)}`);
  const membership = fc
    .tuple(column, fc.constantFrom('in', 'in~', 'in', '!in', '!in~'), fc.array(literal, { minLength: 1, maxLength: 3 }))
    .map(([c, op, items]) => `${c} ${op} (${items.map((i) => kqlString(i, false)).join(', ')})`);
  const regex = fc
    .tuple(column, fc.constantFrom(...REGEX_TEMPLATES), regexWord)
    .map(([c, template, w]) => `${c} matches regex ${kqlString(template(w.replace(/\./g, '\\.')), false)}`);
  const number = fc
    .tuple(fc.constantFrom(...numeric), fc.constantFrom('==', '>=', '<', '!='), codeArb)
    .map(([expr, op, n]) => `${expr} ${op} ${n}`);
  // A comparison with ago() or now() has no needle: the prefilter must pass every row for it.
  const recent = fc
    .tuple(fc.constantFrom('>', '>=', '<', '<='), fc.constantFrom(...RELATIVE_TIMES))
    .map(([op, when]) => `${time} ${op} ${when}`);
  const leaf = fc.oneof(
    { weight: 6, arbitrary: comparison },
    { weight: 2, arbitrary: membership },
    { weight: 2, arbitrary: regex },
    { weight: 1, arbitrary: number },
    { weight: 1, arbitrary: recent },
  );
  const { tree } = fc.letrec<{ tree: string }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 5, arbitrary: leaf },
      {
        weight: 1,
        arbitrary: fc
          .tuple(tie('tree'), fc.constantFrom('and', 'or'), tie('tree'))
          .map(([a, op, b]) => `(${a}) ${op} (${b})`),
      },
      { weight: 1, arbitrary: tie('tree').map((a) => `not(${a})`) },
    ),
  }));
  return { leaf, tree };
}

const CLASSIC = {
  strings: CLASSIC_STRINGS,
  dynamics: CLASSIC_DYNAMIC,
  numeric: ['toint(resultCode)', 'duration', 'itemCount'],
  time: 'timestamp',
};
const WORKSPACE = {
  strings: WORKSPACE_STRINGS,
  dynamics: WORKSPACE_DYNAMIC,
  numeric: ['toint(ResultCode)', 'DurationMs', 'ItemCount'],
  time: 'TimeGenerated',
};

function queriesOf(table: string, columns: typeof CLASSIC): fc.Arbitrary<string> {
  const { leaf, tree } = conditionArbs(columns.strings, columns.dynamics, columns.numeric, columns.time);
  // Mostly one condition, so rows match often enough to test the needles; some pipelines and trees.
  return fc.oneof(
    { weight: 3, arbitrary: leaf.map((c) => `${table} | where ${c}`) },
    {
      weight: 2,
      arbitrary: fc
        .array(tree, { minLength: 1, maxLength: 2 })
        .map((cs) => `${table}${cs.map((c) => ` | where ${c}`).join('')}`),
    },
  );
}

/** A rule's query in the classic or the workspace schema, one or two `where` stages. */
export const queryArb: fc.Arbitrary<string> = fc.oneof(
  queriesOf('requests', CLASSIC),
  queriesOf('AppRequests', WORKSPACE),
);
