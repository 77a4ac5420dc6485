import { isDue, resolvesAt } from '../alerts/alertEpisode';
import { type AlertState, CLOCK_BACK_MS, type FiringPolicy } from '../alerts/alertState';
import { groupMuteAt, type Mute } from '../alerts/muting';
import { plural } from '../plural';
import { groupLabel } from './alertLine';
import { formatUtcMinute } from './utcTime';

/** A group's stored state, as the alert book holds it next to the rule's records. */
export interface StoredGroupState {
  readonly ruleKey: string;
  readonly groupKey: string;
  /** When a delivery last changed it, epoch ms. */
  readonly updatedAt: number;
  readonly state: AlertState;
}

/** What `rules status` says of one rule and group: its throttle and its window, in numbers. */
export interface GroupStatus {
  readonly rule: string;
  readonly group: string;
  readonly updatedAt: number;
  /** Why no policy applies: the rule was removed from the table, or does not compile. */
  readonly ruleProblem?: 'removed' | 'invalid';
  readonly lastFiredAt?: number;
  /** Set while the throttle holds: e-mails of the group wait until then. */
  readonly quietUntil?: number;
  /** Matches held back by the throttle since the last e-mail; they are reported in the next one. */
  readonly held: { readonly rows: number; readonly weighted: number; readonly since?: number };
  /** Weighted matches counted toward the threshold in the last `windowMinutes` (undefined without a window). */
  readonly window?: { readonly minutes: number; readonly weighted: number };
  readonly threshold?: number;
  /** The mute holding the group now, the longer of its own (`rules mute --group`) and its rule's. */
  readonly mute?: Mute;
  /** Matches a mute held back since the last e-mail; they are reported in the next one. */
  readonly heldWhileMuted: { readonly rows: number; readonly weighted: number; readonly since?: number };
  /** The open alert of a rule that sends RESOLVED notices. */
  readonly episode?: EpisodeStatus;
}

/** An open episode as `rules status` shows it. */
export interface EpisodeStatus {
  /** The alert's first e-mail. */
  readonly since: number;
  readonly lastBreachAt: number;
  /** When it resolves unless it breaches again: a whole window after the last breach (undefined: no window now). */
  readonly resolvesAt?: number;
  readonly firings: number;
  readonly rows: number;
  readonly weighted: number;
}

/**
 * The group's status at `now` under its rule's policy (a string: the rule is gone or invalid).
 * @param ruleMute - the rule's own mute at `now` (`ruleMuteAt`), which holds every group of it
 */
export function groupStatusOf(
  stored: StoredGroupState,
  policy: FiringPolicy | 'removed' | 'invalid',
  now: number,
  ruleMute?: Mute,
): GroupStatus {
  const { state } = stored;
  const groupMute = groupMuteAt(state, now);
  const mute =
    groupMute !== undefined && (ruleMute === undefined || groupMute.until >= ruleMute.until) ? groupMute : ruleMute;
  const windowMinutes = typeof policy === 'string' ? undefined : policy.windowMinutes;
  const episode = state.episode;
  const base = {
    rule: stored.ruleKey,
    group: groupLabel(stored.groupKey),
    updatedAt: stored.updatedAt,
    held: state.suppressed,
    heldWhileMuted: state.muted ?? { rows: 0, weighted: 0 },
    ...(state.lastFiredAt === undefined ? {} : { lastFiredAt: state.lastFiredAt }),
    ...(mute === undefined ? {} : { mute }),
    ...(episode === undefined
      ? {}
      : {
          episode: {
            since: episode.since,
            lastBreachAt: episode.lastBreachAt,
            ...(windowMinutes === undefined || windowMinutes === 0
              ? {}
              : { resolvesAt: resolvesAt(episode, windowMinutes) }),
            firings: episode.firings,
            rows: episode.rows,
            weighted: episode.weighted,
          },
        }),
  };
  if (typeof policy === 'string') return { ...base, ruleProblem: policy };
  // The same test applyDelivery makes: a last firing far ahead of the clock throttles nothing.
  const last = state.lastFiredAt;
  const until = last === undefined ? undefined : last + policy.throttleMinutes * 60_000;
  const quiet = last !== undefined && until !== undefined && last <= now + CLOCK_BACK_MS && now < until;
  return {
    ...base,
    threshold: policy.threshold,
    ...(quiet ? { quietUntil: until } : {}),
    ...(policy.windowMinutes > 0
      ? { window: { minutes: policy.windowMinutes, weighted: weightSince(state, now, policy.windowMinutes) } }
      : {}),
  };
}

/** `quiet until 14:05 UTC, 12 matches held`; `not throttled (last fired 13:50 UTC)`. */
export function throttleText(status: GroupStatus, now: number): string {
  const held = status.held.rows;
  const heldText =
    held === 0 ? 'no matches held' : `${plural(held, 'match', 'matches')} held${weightText(status.held)}`;
  if (status.quietUntil !== undefined) return `quiet until ${formatUtcMinute(status.quietUntil, now)}, ${heldText}`;
  const fired =
    status.lastFiredAt === undefined ? 'never fired' : `last fired ${formatUtcMinute(status.lastFiredAt, now)}`;
  return held === 0 ? `not throttled (${fired})` : `not throttled (${fired}); ${heldText} for the next e-mail`;
}

/** `7 of threshold 10 in the last 10 minutes`; `threshold 5 per delivery (no window)`; `rule removed`. */
export function windowText(status: GroupStatus): string {
  if (status.ruleProblem === 'removed') return 'rule removed from the rules table';
  if (status.ruleProblem === 'invalid') return 'rule invalid: not evaluated (rules validate)';
  const threshold = status.threshold ?? 1;
  if (status.window === undefined) return `threshold ${threshold} per delivery (no window)`;
  const span = status.window.minutes === 1 ? 'minute' : `${status.window.minutes} minutes`;
  return `${formatCount(status.window.weighted)} of threshold ${threshold} in the last ${span}`;
}

/** `muted until 15:10 UTC (group), 3 matches held`; `-` when neither muted nor holding anything. */
export function muteText(status: Pick<GroupStatus, 'mute' | 'heldWhileMuted'>, now: number): string {
  const held = status.heldWhileMuted;
  const heldText = held.rows === 0 ? '' : `${plural(held.rows, 'match', 'matches')} held${weightText(held)}`;
  if (status.mute === undefined) return heldText === '' ? '-' : `not muted; ${heldText} for the next e-mail`;
  const by = { group: 'group', rule: 'MuteUntil', schedule: 'quiet time of MuteSchedule' }[status.mute.by];
  return `muted until ${formatUtcMinute(status.mute.until, now)} (${by})${heldText === '' ? '' : `, ${heldText}`}`;
}

/**
 * `firing since 13:05 UTC (2 e-mails); resolves 14:10 UTC if quiet`; once due, `quiet since 14:10 UTC:
 * RESOLVED at the next maintenance run` (or `held by the mute`); `-` without an open alert.
 */
export function episodeText(status: GroupStatus, now: number): string {
  const e = status.episode;
  if (e === undefined) return '-';
  const open = `firing since ${formatUtcMinute(e.since, now)} (${plural(e.firings, 'e-mail')})`;
  if (status.ruleProblem !== undefined) return `${open}; no notice while the rule is ${status.ruleProblem}`;
  if (e.resolvesAt === undefined) return `${open}; no window now: closed without a notice`;
  if (!isDue(e, (e.resolvesAt - e.lastBreachAt) / 60_000, now))
    return `${open}; resolves ${formatUtcMinute(e.resolvesAt, now)} if quiet`;
  const next = status.mute === undefined ? 'RESOLVED at the next maintenance run' : 'RESOLVED held by the mute';
  return `${open}; quiet since ${formatUtcMinute(e.resolvesAt, now)}: ${next}`;
}

/**
 * Weighted matches stored for the minutes of (now − window, now]: what the window holds at the
 * app's clock. A firing consumes them, so right after an e-mail this reads 0.
 */
function weightSince(state: AlertState, now: number, windowMinutes: number): number {
  const newest = Math.floor(now / 60_000);
  let total = 0;
  for (const [minute, weight] of Object.entries(state.minutes)) {
    const m = Number(minute);
    if (m > newest - windowMinutes && m <= newest) total += weight;
  }
  return total;
}

function weightText(counts: { readonly rows: number; readonly weighted: number }): string {
  return counts.weighted === counts.rows ? '' : ` (weight ${formatCount(counts.weighted)})`;
}

function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
