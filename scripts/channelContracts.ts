import type { IncomingHttpHeaders } from 'node:http';

import { SLACK_LIMITS } from '../shared/core/channels/slackMessage';
import { ADAPTIVE_CARD_CONTENT_TYPE, TEAMS_MAX_BYTES } from '../shared/core/channels/teamsCard';
import { WEBHOOK_HEADERS, WEBHOOK_MAX_BYTES, WEBHOOK_SCHEMA_VERSION } from '../shared/core/channels/webhookPayload';
import { checkWebhookSignature } from '../shared/core/channels/webhookSignature';
import { adaptiveCardProblems } from './adaptiveCardSchema';

// What each channel's service takes, as the local receivers (channelReceivers.ts) and the payload tests
// check it: the problems found, and the answer the service gives.

export interface Checked {
  readonly problems: string[];
  readonly reply: { readonly status: number; readonly body?: string };
}

/** The Workflows template's envelope, and each card against the schema. */
export function checkTeams(body: string, json: unknown): Checked {
  const problems: string[] = [];
  if (Buffer.byteLength(body) > TEAMS_MAX_BYTES)
    problems.push(`body is ${Buffer.byteLength(body)} bytes, over ${TEAMS_MAX_BYTES}`);
  const message = (json ?? {}) as { type?: unknown; attachments?: unknown };
  if (message.type !== 'message') problems.push("/type must be 'message'");
  const attachments = Array.isArray(message.attachments) ? (message.attachments as unknown[]) : [];
  if (attachments.length === 0) problems.push('/attachments must be a non-empty array (the template loops over it)');
  attachments.forEach((attachment, i) => {
    const a = (attachment ?? {}) as { contentType?: unknown; content?: unknown };
    if (a.contentType !== ADAPTIVE_CARD_CONTENT_TYPE)
      problems.push(`/attachments/${i}/contentType must be ${ADAPTIVE_CARD_CONTENT_TYPE}`);
    problems.push(...adaptiveCardProblems(a.content).map((p) => `/attachments/${i}/content${p}`));
  });
  const error = JSON.stringify({ error: { code: 'InvalidTemplate', message: problems.join('; ') } });
  return { problems, reply: problems.length === 0 ? { status: 202 } : { status: 400, body: error } };
}

/** Block Kit's limits, and Slack's escaping in every mrkdwn text. */
export function checkSlack(json: unknown): Checked {
  const problems: string[] = [];
  const message = (json ?? {}) as { text?: unknown; blocks?: unknown };
  if (json === undefined) return { problems: ['body is not JSON'], reply: { status: 400, body: 'invalid_payload' } };
  const blocks = Array.isArray(message.blocks) ? (message.blocks as Record<string, unknown>[]) : [];
  if (typeof message.text !== 'string' && blocks.length === 0) {
    return { problems: ['neither text nor blocks'], reply: { status: 400, body: 'no_text' } };
  }
  if (blocks.length > SLACK_LIMITS.blocks) problems.push(`${blocks.length} blocks, over ${SLACK_LIMITS.blocks}`);
  const text = (where: string, object: unknown, max: number): void => {
    const t = (object ?? {}) as { type?: unknown; text?: unknown };
    if (typeof t.text !== 'string' || (t.type !== 'mrkdwn' && t.type !== 'plain_text')) {
      problems.push(`${where} is not a text object`);
      return;
    }
    if (t.text.length > max) problems.push(`${where} is ${t.text.length} characters, over ${max}`);
    if (t.type === 'mrkdwn' && /[<>]|&(?!(amp|lt|gt);)/.test(t.text))
      problems.push(`${where} has an unescaped & < or >`);
  };
  if (typeof message.text === 'string' && /[<>]|&(?!(amp|lt|gt);)/.test(message.text))
    problems.push('text has an unescaped & < or >');
  blocks.forEach((block, i) => {
    if (block.type === 'header') text(`blocks/${i}/text`, block.text, SLACK_LIMITS.headerText);
    else if (block.type === 'section') {
      if (block.text !== undefined) text(`blocks/${i}/text`, block.text, SLACK_LIMITS.sectionText);
      const fields = Array.isArray(block.fields) ? (block.fields as unknown[]) : [];
      if (fields.length > SLACK_LIMITS.fields)
        problems.push(`blocks/${i}/fields has ${fields.length}, over ${SLACK_LIMITS.fields}`);
      fields.forEach((f, j) => text(`blocks/${i}/fields/${j}`, f, SLACK_LIMITS.fieldText));
    } else if (block.type === 'context') {
      const elements = Array.isArray(block.elements) ? (block.elements as unknown[]) : [];
      if (elements.length > SLACK_LIMITS.contextElements)
        problems.push(`blocks/${i}/elements over ${SLACK_LIMITS.contextElements}`);
      elements.forEach((e, j) => text(`blocks/${i}/elements/${j}`, e, SLACK_LIMITS.fieldText));
    } else if (block.type !== 'actions' && block.type !== 'divider') problems.push(`blocks/${i} has an unknown type`);
  });
  return {
    problems,
    reply: problems.length === 0 ? { status: 200, body: 'ok' } : { status: 400, body: 'invalid_blocks' },
  };
}

/** The signature first (401), then the body; a key seen before is acknowledged, not taken again. */
export function checkWebhook(
  headers: IncomingHttpHeaders,
  body: string,
  json: unknown,
  secret: string | undefined,
  nowMs: number,
  seenKeys: Set<string>,
): Checked {
  const header = (name: string): string | undefined => {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
  const verdict =
    secret === undefined
      ? 'no secret for this name'
      : checkWebhookSignature(
          body,
          { timestamp: header(WEBHOOK_HEADERS.timestamp), signature: header(WEBHOOK_HEADERS.signature) },
          secret,
          Math.floor(nowMs / 1000),
        );
  if (verdict !== 'ok') {
    return {
      problems: [`signature: ${verdict}`],
      reply: { status: 401, body: JSON.stringify({ error: `signature ${verdict}` }) },
    };
  }
  const problems: string[] = [];
  if (Buffer.byteLength(body) > WEBHOOK_MAX_BYTES) problems.push(`body over ${WEBHOOK_MAX_BYTES} bytes`);
  const payload = (json ?? {}) as { schemaVersion?: unknown; idempotencyKey?: unknown; state?: unknown };
  if (payload.schemaVersion !== WEBHOOK_SCHEMA_VERSION)
    problems.push(`schemaVersion must be ${WEBHOOK_SCHEMA_VERSION}`);
  if (payload.state !== 'FIRING' && payload.state !== 'RESOLVED') problems.push('state must be FIRING or RESOLVED');
  const key = header(WEBHOOK_HEADERS.idempotencyKey);
  if (key === undefined || key !== payload.idempotencyKey) problems.push('Idempotency-Key must match the body');
  if (problems.length > 0)
    return { problems, reply: { status: 400, body: JSON.stringify({ error: problems.join('; ') }) } };
  const duplicate = seenKeys.has(key ?? '');
  seenKeys.add(key ?? '');
  return { problems, reply: { status: 200, body: JSON.stringify({ received: true, duplicate }) } };
}
