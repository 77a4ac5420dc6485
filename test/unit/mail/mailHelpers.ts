import type { ColumnValue, TelemetryRecord } from '../../../shared/core/export/telemetryRecord';
import type { TableName } from '../../../shared/core/export/telemetryTypes';
import type { AlertDigest, AlertEmail } from '../../../shared/core/mail/alertEmail';
import { MailSendError } from '../../../shared/core/mail/mailSendError';
import { type AlertRule, compileRule } from '../../../shared/core/rules/alertRule';
import { parseColumnPath } from '../../../shared/core/rules/columnPath';

/** A rule compiled the way the rule store compiles one, with fields overridden after compilation. */
export function alertRule(overrides: Partial<AlertRule> = {}): AlertRule {
  const compiled = compileRule({
    partitionKey: 'shop-prod',
    rowKey: 'checkout-5xx',
    Query: 'requests | where toint(resultCode) >= 500',
    Recipients: 'oncall@example.com',
    Severity: 1,
  });
  if (!compiled.ok) throw new Error(`test rule does not compile: ${JSON.stringify(compiled.error)}`);
  return { ...compiled.value, ...overrides };
}

/** Column paths of a table, as a rule's Columns holds them. */
export function columnsOf(table: TableName, ...texts: string[]): AlertRule['columns'] {
  return texts.map((text) => {
    const parsed = parseColumnPath(text, table);
    if (!parsed.path) throw new Error(`bad column ${text}: ${parsed.problem}`);
    return parsed.path;
  });
}

export function event(
  columns: Record<string, ColumnValue | undefined>,
  table: TableName = 'requests',
): TelemetryRecord {
  return { table, columns, raw: {} };
}

/** A 5xx request at 13:05 plus `minute` minutes. */
export function failedRequest(minute = 0, overrides: Record<string, ColumnValue | undefined> = {}): TelemetryRecord {
  return event({
    timestamp: new Date(Date.UTC(2024, 2, 5, 13, 5 + minute, 1, 123)),
    name: 'POST /checkout',
    resultCode: '503',
    duration: 1234.5,
    url: 'https://shop.example.com/checkout',
    operation_Id: `op${minute}`,
    cloud_RoleName: 'web',
    itemCount: 1,
    ...overrides,
  });
}

export function alertDigest(overrides: Partial<AlertDigest> = {}): AlertDigest {
  const events = overrides.events ?? [failedRequest(0), failedRequest(1)];
  return {
    rule: alertRule(),
    appName: 'shop-prod',
    folder: 'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    blobName: 'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/abc.blob',
    events,
    matched: { rows: events.length, weighted: events.length },
    firstEventAt: new Date(Date.UTC(2024, 2, 5, 13, 5, 1, 123)),
    lastEventAt: new Date(Date.UTC(2024, 2, 5, 13, 6, 1, 123)),
    ledgerKey: 'ledger-1',
    ...overrides,
  };
}

export function alertEmail(overrides: Partial<AlertEmail> = {}): AlertEmail {
  return {
    from: 'alerts@example.com',
    to: ['oncall@example.com'],
    subject: '[Sev1] checkout-5xx: 2 requests in shop-prod (13:05–13:06 UTC)',
    text: 'plain body',
    html: '<p>html body</p>',
    customArgs: { ledgerKey: 'ledger-1', rule: 'shop-prod/checkout-5xx', app: 'shop-prod' },
    headers: { 'X-Alert-Ledger-Key': 'ledger-1' },
    ...overrides,
  };
}

/** `n` distinct addresses. */
export function recipients(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `user${i}@example.com`);
}

export interface ParsedMessage {
  readonly headers: Map<string, string>;
  readonly parts: readonly { readonly contentType: string; readonly body: string }[];
}

/**
 * A minimal RFC 5322 / MIME reader: unfolds and decodes headers, splits multipart, decodes QP and
 * base64, and turns CRLF line ends back into LF.
 */
export function parseEml(raw: string): ParsedMessage {
  const { headers, body } = splitEntity(raw);
  const contentType = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (boundary === undefined) return { headers, parts: [{ contentType, body: decodeBody(body, headers) }] };
  const parts = body
    .split(`--${boundary}`)
    .slice(1)
    .filter((chunk) => !chunk.startsWith('--'))
    .map((chunk) => {
      // The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
      const part = splitEntity(chunk.replace(/^\r\n/, '').replace(/\r\n$/, ''));
      return {
        contentType: part.headers.get('content-type') ?? 'text/plain',
        body: decodeBody(part.body, part.headers),
      };
    });
  return { headers, parts };
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const head = end === -1 ? raw : raw.slice(0, end);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body: end === -1 ? '' : raw.slice(end + 4) };
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function decodeBody(body: string, headers: Map<string, string>): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return toLf(Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8'));
  if (encoding === 'quoted-printable') return toLf(decodeQuotedPrintable(body.replace(/=\r\n/g, '')));
  return toLf(body);
}

function toLf(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i] as string, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The rejection of a send, failing the test when it resolves or rejects with something else. */
export async function failureOf(promise: Promise<unknown>): Promise<MailSendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof MailSendError)) throw new Error(`expected a MailSendError, got ${String(error)}`);
  return error;
}
