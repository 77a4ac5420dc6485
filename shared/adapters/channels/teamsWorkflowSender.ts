import { bodyDetails, type ChannelResponse, type ChannelVerdict, statusFailure } from './channelFailure';
import { HttpChannelSender, type HttpChannelSenderOptions } from './httpChannelSender';

type SenderOptions = Omit<HttpChannelSenderOptions, 'kind' | 'judge' | 'attemptHeaders'>;

/** A sender to a Teams channel's Workflows webhook (TEAMS_WEBHOOK_<NAME>). */
export function teamsWorkflowSender(options: SenderOptions): HttpChannelSender {
  return new HttpChannelSender({ ...options, kind: 'teams', judge: judgeTeamsAnswer });
}

/**
 * Teams' answers. A Workflows trigger answers 202 Accepted with an empty body and runs the flow
 * afterwards (robusta-dev/robusta#2113, nicholas-fedor/shoutrrr#900): a card the flow cannot post
 * fails there, unseen, which is why the card is checked against the Adaptive Card schema in tests.
 * NOTE: a retired Office 365 connector URL answers 200 ("1") on success but also 200 with
 * "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 …"
 * (neonidian/teams-notify-build-status#84, opsless/ms-teams-github-actions#32): such a body is a failure
 * with the status it names.
 */
export function judgeTeamsAnswer(response: ChannelResponse, nowMs: number): ChannelVerdict {
  const ok = response.status >= 200 && response.status < 300;
  const reported = /Microsoft Teams endpoint returned HTTP error (\d{3})/i.exec(response.body);
  if (ok && reported === null && !/delivery failed/i.test(response.body)) return { ok: true };
  if (ok) {
    const status = Number(reported?.[1] ?? 500);
    return {
      ok: false,
      failure: {
        status,
        retryable: status === 429 || status >= 500,
        details: bodyDetails(response.body),
        description: `${response.status} with a delivery failure for HTTP ${status} in its body (an Office 365 connector URL: move it to a Workflows webhook)`,
      },
    };
  }
  return { ok: false, failure: statusFailure(response, nowMs, bodyDetails(response.body), teamsHint(response.status)) };
}

function teamsHint(status: number): string {
  if (status === 401 || status === 403) {
    return "the workflow refused the caller: its trigger must allow 'Anyone', and the URL must be copied whole, with & and not &amp;";
  }
  if (status === 404)
    return 'no such workflow: it was deleted or turned off; create one and update the TEAMS_WEBHOOK_ setting';
  if (status === 413) return 'the card is over the 28 KB limit';
  return '';
}
