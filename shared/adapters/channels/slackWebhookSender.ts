import { bodyDetails, type ChannelResponse, type ChannelVerdict, statusFailure } from './channelFailure';
import { HttpChannelSender, type HttpChannelSenderOptions } from './httpChannelSender';

type SenderOptions = Omit<HttpChannelSenderOptions, 'kind' | 'judge' | 'attemptHeaders'>;

/** A sender to a Slack incoming webhook (SLACK_WEBHOOK_<NAME>). */
export function slackWebhookSender(options: SenderOptions): HttpChannelSender {
  return new HttpChannelSender({ ...options, kind: 'slack', judge: judgeSlackAnswer });
}

/** Slack's error words that mean the webhook itself no longer posts: no retry helps, a new one does. */
const GONE = new Set([
  'channel_not_found',
  'channel_is_archived',
  'action_prohibited',
  'no_service',
  'no_service_id',
  'no_team',
  'team_disabled',
  'invalid_token',
  'posting_to_general_channel_denied',
]);

/**
 * Slack's answers: `200 ok` is the only success. NOTE: errors come as a bare word in a text body,
 * mostly with their own status (invalid_payload 400, action_prohibited 403, channel_not_found 404,
 * channel_is_archived 410, rollup_error 500; api.slack.com changelog 2016-05-17 "Improving error
 * conditions for Incoming Webhooks"), but a 2xx whose body is such a word, or JSON with `ok: false`, is
 * a failure too. rollup_error ("likely not your fault") is retried, like 429 (with its Retry-After) and 5xx.
 */
export function judgeSlackAnswer(response: ChannelResponse, nowMs: number): ChannelVerdict {
  const word = slackWord(response.body);
  if (response.status >= 200 && response.status < 300) {
    if (word === undefined || word === 'ok') return { ok: true };
    return {
      ok: false,
      failure: {
        status: response.status,
        retryable: word === 'rollup_error',
        details: [word],
        description: `${response.status} with '${word}'${hint(word) === '' ? '' : ` (${hint(word)})`}`,
      },
    };
  }
  const failure = statusFailure(response, nowMs, word === undefined ? bodyDetails(response.body) : [word], hint(word));
  return { ok: false, failure: word === 'rollup_error' ? { ...failure, retryable: true } : failure };
}

/** The word of a bare-word body, or of `{"ok":false,"error":"…"}`; `ok` for `{"ok":true}`. */
function slackWord(body: string): string | undefined {
  const text = body.trim();
  if (/^[a-z_]{2,64}$/.test(text)) return text;
  try {
    const parsed = JSON.parse(text) as { ok?: unknown; error?: unknown };
    if (parsed.ok === true) return 'ok';
    if (parsed.ok === false) return typeof parsed.error === 'string' ? parsed.error.slice(0, 64) : 'unknown_error';
  } catch {
    // Not JSON, not a word: no verdict from the body.
  }
  return undefined;
}

function hint(word: string | undefined): string {
  if (word !== undefined && GONE.has(word)) {
    return 'the webhook no longer posts there: create one and update the SLACK_WEBHOOK_ setting';
  }
  if (word === 'invalid_payload' || word === 'invalid_blocks' || word === 'no_text') {
    return 'Slack refused the message itself: report it as a bug with the ledger key';
  }
  return '';
}
