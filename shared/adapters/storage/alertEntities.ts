import type { OpenEpisode } from '../../core/alerts/alertBook';
import type { Episode } from '../../core/alerts/alertEpisode';
import {
  type AlertRecord,
  type ChannelDelivery,
  type RecordStatus,
  type SummaryLine,
} from '../../core/alerts/alertRecord';
import type { AlertState } from '../../core/alerts/alertState';
import { parseState, serializeState } from '../../core/alerts/alertStateText';
import { describeError } from '../../core/describeError';
import type { AlertEmail } from '../../core/mail/alertEmail';
import { chunkText, clipText, joinText } from './chunkedText';
import { EntityReader, type StoredEntity, VERSION_PROPERTY } from './storedEntity';

/**
 * The shape of the alert book's entities (state, record, episode index entry) this build writes.
 * Version 1 is the shape from before the property existed, so those entities read unchanged. The
 * state's own JSON carries a version of its own (alertStateText.ts): episodes and mutes extended it to
 * 3 and left the entity's properties as they were.
 */
export const ALERT_ENTITY_VERSION = 1;
/**
 * Version 2: a channel notice's record (`Channel`, `Payload`). Only those are written as 2, so a build
 * from before channels refuses them as newer instead of sending them as e-mails that are not there;
 * every other entity is still written as 1 and reads in either build.
 */
const CHANNEL_RECORD_VERSION = 2;
/** The newest shape this build reads. */
const READS_UP_TO = CHANNEL_RECORD_VERSION;

export type Entity = Record<string, unknown> & { partitionKey: string; rowKey: string };

const STATUSES: ReadonlySet<string> = new Set<RecordStatus>([
  'counted',
  'suppressed',
  'covered',
  'summarized',
  'sending',
  'sent',
  'failed',
  'rejected',
]);

export function stateEntity(
  partitionKey: string,
  rowKey: string,
  ruleKey: string,
  groupKey: string,
  state: AlertState,
  updatedAt: number,
): Entity {
  return {
    partitionKey,
    rowKey,
    [VERSION_PROPERTY]: ALERT_ENTITY_VERSION,
    Kind: 'state',
    Rule: clipText(ruleKey, 1024),
    Group: clipText(groupKey, 1024),
    UpdatedAt: new Date(updatedAt),
    ...chunkText('State', serializeState(state)),
  };
}

/** @throws StoredStateError when the entity holds no state, or one that does not read as a state */
export function stateOf(table: string, entity: StoredEntity): AlertState {
  const reader = new EntityReader(table, entity, READS_UP_TO);
  const text = joinText(entity, 'State', reader.place) ?? reader.fail('State', 'is missing');
  try {
    return parseState(text);
  } catch (error) {
    return reader.fail('State', `does not read as an alert state: ${describeError(error)}`, { cause: error });
  }
}

/**
 * The index entry of a group's open episode, next to its state in the rule's partition: RowKey
 * `e~<state RowKey>`, so a rule's open episodes are one key-range query. It repeats what the
 * maintenance timer needs to tell whether anything can be due without reading the state.
 */
export function episodeEntity(
  partitionKey: string,
  rowKey: string,
  ruleKey: string,
  groupKey: string,
  episode: Episode,
  updatedAt: number,
): Entity {
  return {
    partitionKey,
    rowKey,
    [VERSION_PROPERTY]: ALERT_ENTITY_VERSION,
    Kind: 'episode',
    Rule: clipText(ruleKey, 1024),
    // NOTE: whole, not clipped like the state's: the timer finds the state by it (a property holds 32K characters).
    Group: clipText(groupKey, 30_000),
    Since: int64(episode.since),
    LastBreachAt: int64(episode.lastBreachAt),
    UpdatedAt: new Date(updatedAt),
  };
}

/** @throws StoredStateError naming the first property that is missing or malformed */
export function episodeOf(table: string, entity: StoredEntity): OpenEpisode {
  const r = new EntityReader(table, entity, READS_UP_TO);
  return {
    ruleKey: r.text('Rule'),
    groupKey: r.text('Group'),
    since: r.integer('Since'),
    lastBreachAt: r.integer('LastBreachAt'),
  };
}

export function recordEntity(partitionKey: string, record: AlertRecord): Entity {
  return {
    partitionKey,
    rowKey: record.recordKey,
    [VERSION_PROPERTY]: record.channel === undefined ? 1 : CHANNEL_RECORD_VERSION,
    Kind: 'record',
    Rule: clipText(record.ruleKey, 1024),
    Group: clipText(record.groupKey, 1024),
    Blob: clipText(record.blobName, 1024),
    DeliveryId: record.deliveryId,
    Status: record.status,
    RecordedAt: new Date(record.recordedAt),
    LeaseUntil: int64(record.leaseUntil),
    Attempts: record.attempts,
    AcceptedBatches: record.acceptedBatches.join(' '),
    ...(record.rows === undefined ? {} : { Rows: record.rows }),
    ...(record.weighted === undefined ? {} : { Weighted: record.weighted }),
    // NOTE: Subject and To repeat the e-mail's, so `alerts list` reads them without the e-mail's chunks.
    ...(record.email === undefined
      ? {}
      : {
          Subject: clipText(record.email.subject, 1024),
          To: clipText(record.email.to.join(', '), 4000),
          ...chunkText('Email', JSON.stringify(record.email)),
        }),
    ...(record.channel === undefined
      ? {}
      : {
          Subject: clipText(record.channel.subject, 1024),
          To: clipText(record.channel.name, 1024),
          Channel: clipText(record.channel.name, 1024),
          ...chunkText('Payload', JSON.stringify(record.channel.payload)),
        }),
    ...(record.summaryKey === undefined ? {} : { SummaryKey: record.summaryKey }),
    ...(record.line === undefined ? {} : { Line: JSON.stringify(record.line) }),
  };
}

/** @throws StoredStateError naming the first property that is missing or malformed */
export function recordOf(table: string, entity: StoredEntity): AlertRecord {
  const r = new EntityReader(table, entity, READS_UP_TO);
  const status = r.text('Status');
  if (!STATUSES.has(status))
    r.fail('Status', `is '${clipText(status, 40)}', expected one of ${[...STATUSES].join(', ')}`);
  const batches = r
    .text('AcceptedBatches')
    .split(' ')
    .filter((b) => b !== '');
  const acceptedBatches = batches.map(Number);
  if (!acceptedBatches.every((b) => Number.isSafeInteger(b) && b >= 0))
    r.fail('AcceptedBatches', 'is not a list of batch numbers separated by spaces');
  const emailText = joinText(entity, 'Email', r.place);
  const payloadText = joinText(entity, 'Payload', r.place);
  const channel = payloadText === undefined ? undefined : channelOf(r, payloadText);
  const lineText = r.optionalText('Line');
  const lastError = r.optionalText('LastError');
  const summaryKey = r.optionalText('SummaryKey');
  const sentAt = r.optionalTime('SentAt');
  const messageIds = r.optionalText('MessageIds');
  const rows = countOf(entity['Rows']);
  const weighted = countOf(entity['Weighted']);
  // Display-only, like the counts: read leniently, so they never keep a record from being sent.
  const provider = entity['Provider'];
  const location = typeof entity['Location'] === 'string' ? entity['Location'] : undefined;
  const heldBack = countOf(entity['HeldBack']);
  return {
    ruleKey: r.text('Rule'),
    recordKey: r.place.rowKey,
    groupKey: r.text('Group'),
    blobName: r.text('Blob'),
    deliveryId: r.text('DeliveryId'),
    status: status as RecordStatus,
    recordedAt: r.time('RecordedAt'),
    leaseUntil: r.integer('LeaseUntil'),
    attempts: r.integer('Attempts'),
    acceptedBatches,
    ...(emailText === undefined ? {} : { email: r.json('Email', emailText, emailOf) }),
    ...(channel === undefined ? {} : { channel }),
    ...(summaryKey === undefined || summaryKey === '' ? {} : { summaryKey }),
    ...(lineText === undefined ? {} : { line: r.json('Line', lineText, summaryLineOf) }),
    ...(lastError === undefined || lastError === '' ? {} : { lastError }),
    ...(sentAt === undefined ? {} : { sentAt }),
    ...(messageIds === undefined || messageIds === '' ? {} : { messageIds: messageIds.split(' ') }),
    ...(rows === undefined ? {} : { rows }),
    ...(weighted === undefined ? {} : { weighted }),
    ...(provider === 'sendgrid' ||
    provider === 'outbox' ||
    provider === 'teams' ||
    provider === 'slack' ||
    provider === 'webhook'
      ? { provider }
      : {}),
    ...(location === undefined || location === '' ? {} : { location }),
    ...(heldBack === undefined || heldBack === 0 ? {} : { heldBack }),
  };
}

/** Counts shown by `alerts list`: whatever they hold, never a reason for a record not to read. */
export function countOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

// NOTE: epoch ms pass Int32; as Int64 they stay numbers in Storage Explorer.
function int64(value: number): { value: string; type: 'Int64' } {
  return { value: String(Math.trunc(value)), type: 'Int64' };
}

function emailOf(value: unknown, fail: (problem: string) => never): AlertEmail {
  const raw = objectOf(value) ?? fail('is not an e-mail (from, to, subject, text, html)');
  const text = (name: string): string => {
    const v = raw[name];
    return typeof v === 'string' ? v : fail(`has no text in '${name}'`);
  };
  const to = raw['to'];
  if (!Array.isArray(to) || !to.every((t): t is string => typeof t === 'string'))
    fail("has no list of addresses in 'to'");
  return {
    from: text('from'),
    to,
    subject: text('subject'),
    text: text('text'),
    html: text('html'),
    customArgs: textMap(raw['customArgs'], 'customArgs', fail),
    headers: textMap(raw['headers'], 'headers', fail),
  };
}

function channelOf(r: EntityReader, payloadText: string): ChannelDelivery {
  const name = r.text('Channel');
  if (!/^(teams|slack|webhook):[A-Za-z0-9_]{1,64}$/.test(name)) r.fail('Channel', 'is not a channel such as teams:OPS');
  const payload = r.json('Payload', payloadText, (value, fail): ChannelDelivery['payload'] => {
    const raw = objectOf(value) ?? fail('is not a channel payload (kind, body, headers)');
    const { kind, body, eventsShown, bytes } = raw;
    if (kind !== name.slice(0, name.indexOf(':'))) return fail(`has kind ${String(kind)}, not the channel's`);
    if (typeof body !== 'string') return fail("has no text in 'body'");
    if (typeof eventsShown !== 'number' || typeof bytes !== 'number')
      return fail("has no numbers in 'eventsShown' and 'bytes'");
    const headers = textMap(raw['headers'], 'headers', fail);
    return { kind: kind as ChannelDelivery['payload']['kind'], body, headers, eventsShown, bytes };
  });
  return { name, subject: r.optionalText('Subject') ?? '', payload };
}

function summaryLineOf(value: unknown, fail: (problem: string) => never): SummaryLine {
  const raw = objectOf(value) ?? fail('is not a summary line (label, rows, weighted)');
  const { label, rows, weighted } = raw;
  if (typeof label !== 'string') fail("has no text in 'label'");
  if (typeof rows !== 'number' || typeof weighted !== 'number') fail("has no numbers in 'rows' and 'weighted'");
  return { label, rows, weighted };
}

function textMap(value: unknown, name: string, fail: (problem: string) => never): Record<string, string> {
  if (value === undefined) return {};
  const map = objectOf(value);
  if (map === undefined || !Object.values(map).every((v) => typeof v === 'string'))
    fail(`has '${name}' that is not a map of texts`);
  return map as Record<string, string>;
}

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
