import type { TestSendResult } from '../shared/core/alerts/sendTestAlert';
import { channelSettingNames } from '../shared/core/channels/channelSettingNames';
import { plural } from '../shared/core/plural';
import type { ChannelRef } from '../shared/core/rules/ruleNotifications';

/**
 * One line per channel of `alerts send-test`, the channels in a column:
 * `email          sent to 2 recipients (outbox: outbox/…eml)`, `teams:OPS      delivered (https://host, HTTP 202)`,
 * `webhook:PAGER  FAILED: …`. Nothing here shows more of a channel's URL than its scheme and host.
 */
export function testResultLines(results: readonly TestSendResult[]): string[] {
  const width = Math.max(0, ...results.map((r) => r.channel.length)) + 2;
  return results.map((result) => `${result.channel.padEnd(width)}${resultText(result)}`);
}

function resultText(result: TestSendResult): string {
  switch (result.outcome) {
    case 'sent': {
      const { receipt } = result;
      const where =
        receipt.provider === 'outbox'
          ? `outbox: ${receipt.location ?? '?'}`
          : `SendGrid${receipt.messageIds.length > 0 ? `, message id ${receipt.messageIds.join(', ')}` : ''}`;
      return `sent to ${plural(result.recipients, 'recipient')} (${where})`;
    }
    case 'delivered':
      return `delivered (${result.receipt.target}, HTTP ${result.receipt.status})`;
    case 'failed':
      return `FAILED: ${result.error}`;
    case 'not-configured':
      return notConfigured(result.ref);
  }
}

/** `not configured: set TEAMS_WEBHOOK_OPS`; a webhook needs its secret too. */
function notConfigured(ref: ChannelRef): string {
  return `not configured: set ${channelSettingNames(ref).join(' and ')}`;
}

/** The `--json` object: the rule, the test's key, whether every channel took it, and each result. */
export function testResultJson(rule: string, key: string, results: readonly TestSendResult[]): object {
  return {
    rule,
    key,
    ok: results.every((r) => r.outcome === 'sent' || r.outcome === 'delivered'),
    channels: results.map(resultJson),
  };
}

function resultJson(result: TestSendResult): object {
  const { channel } = result;
  switch (result.outcome) {
    case 'sent':
      return {
        channel,
        status: 'sent',
        recipients: result.recipients,
        provider: result.receipt.provider,
        messageIds: result.receipt.messageIds,
        ...(result.receipt.location === undefined ? {} : { location: result.receipt.location }),
      };
    case 'delivered':
      return {
        channel,
        status: 'delivered',
        target: result.receipt.target,
        httpStatus: result.receipt.status,
        attempts: result.receipt.attempts,
      };
    case 'failed':
      return {
        channel,
        status: 'failed',
        error: result.error,
        httpStatus: result.status ?? null,
        retryable: result.retryable,
      };
    case 'not-configured':
      return {
        channel,
        status: 'not-configured',
        error: notConfigured(result.ref),
        settings: channelSettingNames(result.ref),
      };
  }
}
