import type { ChannelSender } from '../channels/channelSender';
import { describeError } from '../describeError';
import type { Logger } from '../logger';
import type { Mailer } from '../mail/mailer';
import type { NoticeSettings } from '../mail/noticeSettings';
import type { AlertRule } from '../rules/alertRule';
import { groupLabel } from '../status/alertLine';
import type { AlertBook, OpenEpisode } from './alertBook';
import { type EpisodeResolution, isDue, isStampedAhead, resolvesAt } from './alertEpisode';
import type { AlertRecord } from './alertRecord';
import { type AlertState, tracksEpisodes, withoutEpisode } from './alertState';
import { sendStored } from './deliverAlerts';
import { type Mute, muteAt, ruleMuteAt } from './muting';
import { resolvedRecordsOf } from './resolvedNotice';

export interface EpisodeDeps {
  readonly book: AlertBook;
  readonly mailer: Mailer;
  readonly now: () => number;
  readonly logger: Logger;
  readonly from: string;
  readonly leaseMs: number;
  readonly pause: (ms: number) => Promise<void>;
  readonly notice?: NoticeSettings;
  /** Senders of the configured Teams, Slack and webhook channels, by `teams:OPS`. */
  readonly channels?: ReadonlyMap<string, ChannelSender>;
  /** Every rule that compiles, enabled or not: the open episodes of each are looked up by its key. */
  readonly rules: () => Promise<readonly AlertRule[]>;
  /** Time one run may spend before it leaves the rest to the next run. */
  readonly budgetMs?: number;
}

export interface EpisodeSummary {
  /** Rules whose episode index was read: one key-range query each. */
  rules: number;
  /** Open episodes listed. */
  open: number;
  /** RESOLVED notices written by this run. */
  resolved: number;
  sent: number;
  failed: number;
  /** Due, but the rule or group is muted: the notice waits for the mute to end. */
  held: number;
  /** Closed without a notice: the rule was disabled, or no longer sends notices. */
  closed: number;
  /** A last breach stamped ahead of the clock (the clock went back): its quiet window restarts now. */
  restamped: number;
  /** Left for the next run: the time budget ran out. */
  deferred: number;
}

/** What the maintenance timer does with one open episode, given its group's state. */
export type Settlement =
  | { readonly kind: 'wait' }
  | { readonly kind: 'held'; readonly mute: Mute }
  | { readonly kind: 'resolve'; readonly state: AlertState; readonly resolution: EpisodeResolution }
  | { readonly kind: 'close' | 'restamp' | 'stale'; readonly state: AlertState };

export const DEFAULT_EPISODE_BUDGET_MS = 60_000;

/**
 * Decides an open episode at `now`. `since` names the episode the index listed; a state holding no
 * episode, or another one, is written back as it is, which sets the index straight.
 */
export function settleEpisode(state: AlertState, rule: AlertRule, since: number, now: number): Settlement {
  const { episode } = state;
  if (episode === undefined || episode.since !== since) return { kind: 'stale', state };
  if (!rule.enabled || !tracksEpisodes(rule)) return { kind: 'close', state: withoutEpisode(state) };
  if (isStampedAhead(episode, now))
    return { kind: 'restamp', state: { ...state, episode: { ...episode, lastBreachAt: now } } };
  if (!isDue(episode, rule.windowMinutes, now)) return { kind: 'wait' };
  const mute = muteAt(rule.notifications, state, now);
  if (mute !== undefined) return { kind: 'held', mute };
  return {
    kind: 'resolve',
    state: withoutEpisode(state),
    resolution: { episode, resolvedAt: resolvesAt(episode, rule.windowMinutes) },
  };
}

/**
 * The maintenance timer's RESOLVED step: finds each rule's open episodes through the book's index (one
 * key-range query per rule, whatever the number of groups or records), and for those a whole window
 * quiet writes the notice's record in the transaction that closes the episode, then sends it. The
 * record's key names the group and the episode, so two timers at once write it once, and a send that
 * fails or dies is re-driven like any alert (`maintainAlerts`). One rule's trouble never stops the others.
 */
export async function resolveEpisodes(deps: EpisodeDeps): Promise<EpisodeSummary> {
  const started = deps.now();
  const budget = deps.budgetMs ?? DEFAULT_EPISODE_BUDGET_MS;
  const summary: EpisodeSummary = {
    rules: 0,
    open: 0,
    resolved: 0,
    sent: 0,
    failed: 0,
    held: 0,
    closed: 0,
    restamped: 0,
    deferred: 0,
  };
  for (const rule of await deps.rules()) {
    const ruleKey = `${rule.scope}/${rule.id}`;
    summary.rules++;
    try {
      for await (const open of deps.book.listEpisodes(ruleKey)) {
        summary.open++;
        if (deps.now() - started > budget) summary.deferred++;
        else await settle(rule, open, deps, summary);
      }
    } catch (error) {
      summary.failed++;
      deps.logger.error(`alert ${ruleKey}: RESOLVED notices could not be checked: ${describeError(error)}`);
    }
  }
  return summary;
}

async function settle(rule: AlertRule, open: OpenEpisode, deps: EpisodeDeps, summary: EpisodeSummary): Promise<void> {
  const now = deps.now();
  // The index entry alone says whether anything can be due: most runs read no group state at all.
  const tracking = rule.enabled && tracksEpisodes(rule);
  const due = isDue(open, rule.windowMinutes, now);
  if (tracking && !due && !isStampedAhead(open, now)) return;
  if (tracking && due && ruleMuteAt(rule.notifications, now) !== undefined) {
    summary.held++;
    return;
  }
  const name = `alert ${open.ruleKey} group ${groupLabel(open.groupKey)}`;
  let outcome: Settlement = { kind: 'wait' };
  let companions: readonly AlertRecord[] = [];
  const written = await deps.book.changeState(
    open.ruleKey,
    open.groupKey,
    (state) => {
      if (state === undefined) return undefined;
      outcome = settleEpisode(state, rule, open.since, now);
      if (outcome.kind === 'wait' || outcome.kind === 'held') return undefined;
      if (outcome.kind !== 'resolve') return { state: outcome.state };
      const [record, ...channels] = resolvedRecordsOf(rule, open.groupKey, state, outcome.resolution, {
        now,
        from: deps.from,
        ...(deps.notice === undefined ? {} : { notice: deps.notice }),
        claimedUntil: now + deps.leaseMs,
      });
      companions = channels;
      return { state: outcome.state, record, companions: channels };
    },
    now,
  );
  const settled = outcome as Settlement;
  if (settled.kind === 'held') summary.held++;
  else if (settled.kind === 'close') {
    summary.closed++;
    deps.logger.info(`${name}: episode closed without a RESOLVED notice (the rule is disabled or sends none now)`);
  } else if (settled.kind === 'restamp') {
    summary.restamped++;
    deps.logger.warn(`${name}: last breach stamped ahead of the clock; its quiet window restarts now`);
  } else if (settled.kind === 'resolve' && written?.record?.created) {
    summary.resolved++;
    // The notice's channel records were written with it, claimed until the same lease: sent after it.
    for (const stored of [written.record, ...companions.map((record) => ({ record, created: true }))]) {
      const result = await sendStored(stored, deps);
      if (result.kind === 'sent') summary.sent++;
      else if (result.kind === 'failed' || result.kind === 'rejected' || result.kind === 'inFlight') {
        summary.failed++;
        deps.logger.error(
          `${name}: RESOLVED notice${stored.record.channel ? ` to ${stored.record.channel.name}` : ''} not sent yet (the maintenance timer retries it): ${result.error}`,
        );
      }
    }
  }
}

/** The step's log line. */
export function describeEpisodes(s: EpisodeSummary): string {
  return (
    `resolved notices: ${s.open} open episodes in ${s.rules} rules; resolved ${s.resolved} (sent ${s.sent}, failed ${s.failed}), ` +
    `held by mutes ${s.held}, closed without notice ${s.closed}, restamped ${s.restamped}, left for the next run ${s.deferred}`
  );
}
