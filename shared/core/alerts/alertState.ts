import { CLOCK_BACK_MS, LATE_DATA_MINUTES } from './alertClock';
import {
  continueEpisode,
  type Episode,
  type EpisodeResolution,
  type EpisodeSource,
  isDue,
  openEpisode,
  resolvesAt,
} from './alertEpisode';
import { addMinutes, busiestWindow } from './windowCounts';

export { CLOCK_BACK_MS, FUTURE_SKEW_MINUTES, LATE_DATA_MINUTES, placeEventMinute } from './alertClock';

/**
 * What is remembered per rule and group between deliveries: the windowed counts, the throttle and the
 * matches it held back, a mute of the group and the matches held while muted, and the open episode of
 * a rule that sends RESOLVED notices. Nothing here grows with traffic: minutes outside the window (plus
 * the late-data slack) are dropped, and "was this delivery applied already" lives in the delivery's own
 * record, not here. Pure: storage and clock live elsewhere.
 */
export interface AlertState {
  /** Weighted matches per minute (epoch minutes) not yet consumed by a firing. */
  readonly minutes: Readonly<Record<string, number>>;
  /** The newest deposit minute applied: the anchor windows are pruned from. App-controlled, never event time. */
  readonly anchorMinute?: number;
  /** Wall-clock ms of the last firing. */
  readonly lastFiredAt?: number;
  /** Matches the throttle held back since the last e-mail. */
  readonly suppressed: SuppressedCounts;
  /** Matches a mute held back since the last e-mail (the rule's or the group's); absent when none. */
  readonly muted?: SuppressedCounts;
  /** The group is muted until then (epoch ms): `export-alerts rules mute --group`. */
  readonly muteUntil?: number;
  /** From the first e-mail of an alert to its RESOLVED notice; absent when no alert is open. */
  readonly episode?: Episode;
}

export interface SuppressedCounts {
  readonly rows: number;
  readonly weighted: number;
  /** Wall-clock ms of the first suppressed match since the last e-mail. */
  readonly since?: number;
}

export type Outcome =
  | {
      readonly kind: 'fired';
      readonly suppressed: SuppressedCounts;
      readonly windowWeighted: number;
      /** Matches held by a mute since the last e-mail: the e-mail reports them (absent when none). */
      readonly muted?: SuppressedCounts;
    }
  /** Held back: by the throttle (`by` absent in records of earlier versions) or by a mute. */
  | { readonly kind: 'suppressed'; readonly by?: 'throttle' | 'mute' }
  | { readonly kind: 'counted'; readonly windowWeighted: number };

/** One delivery's matches of one rule and group. */
export interface DeliveryMatches {
  readonly rows: number;
  readonly weighted: number;
  /** Weighted matches per minute (epoch minutes), already placed by `placeEventMinute`. */
  readonly minutes: ReadonlyMap<number, number>;
  /** The delivery's deposit time, epoch ms. */
  readonly depositedAt: number;
  /** Event time range of the matches, epoch ms (not finite when none had a usable time): kept on an episode. */
  readonly firstEventAt?: number;
  readonly lastEventAt?: number;
  /** Where the matches came from: an episode this delivery opens names it in its RESOLVED notice. */
  readonly source?: EpisodeSource;
}

export interface FiringPolicy {
  readonly threshold: number;
  /** 0: the threshold applies to one delivery's matches. */
  readonly windowMinutes: number;
  readonly throttleMinutes: number;
  /** A rule's notifications: with NotifyResolved on a windowed rule, each first firing opens an episode. */
  readonly notifications?: { readonly notifyResolved: boolean };
}

/** What one delivery did to a group's state. */
export interface Applied {
  readonly state: AlertState;
  readonly outcome: Outcome;
  /**
   * The group's open episode, found over before this delivery came (a whole window quiet, no mute):
   * its RESOLVED notice is written with the decision, so whether it went out never depends on when the
   * maintenance timer ran.
   */
  readonly resolved?: EpisodeResolution;
  /** This firing opened an episode (taken back out when the e-mail becomes a line of a summary). */
  readonly openedEpisode?: boolean;
}

export const EMPTY_STATE: AlertState = { minutes: {}, suppressed: { rows: 0, weighted: 0 } };

const NONE: SuppressedCounts = { rows: 0, weighted: 0 };

/** Whether the rule keeps episodes: a RESOLVED notice needs a window to stay quiet for. */
export function tracksEpisodes(policy: FiringPolicy): boolean {
  return policy.windowMinutes > 0 && policy.notifications?.notifyResolved === true;
}

/**
 * Applies one delivery's matches to the state and says what happens: fire (once the threshold is met
 * and no throttle or mute holds), count, or suppress (throttled or muted; the matches are counted for
 * the next e-mail). A firing consumes the windowed counts, so the next e-mail needs `threshold` new
 * matches. Idempotence is the caller's: each delivery is applied once, guarded by its record.
 *
 * @param ruleMuted - the rule is muted now (MuteUntil, or a quiet time of MuteSchedule): `ruleMuteAt`
 */
export function applyDelivery(
  state: AlertState,
  matches: DeliveryMatches,
  policy: FiringPolicy,
  now: number,
  ruleMuted = false,
): Applied {
  const groupMuted = state.muteUntil !== undefined && now < state.muteUntil;
  const muted = ruleMuted || groupMuted;
  // A rule that stopped sending notices (NotifyResolved off, no window) drops its episodes unannounced.
  let episode = tracksEpisodes(policy) ? state.episode : undefined;
  let resolved: EpisodeResolution | undefined;
  if (episode !== undefined && !muted && isDue(episode, policy.windowMinutes, now)) {
    resolved = { episode, resolvedAt: resolvesAt(episode, policy.windowMinutes) };
    episode = undefined;
  }
  const { episode: _previous, muteUntil: _mute, ...rest } = state;
  const base: AlertState = { ...rest, ...(groupMuted ? { muteUntil: state.muteUntil } : {}) };
  const keep = (next: Episode | undefined): { episode?: Episode } => (next === undefined ? {} : { episode: next });
  const result = (next: AlertState, outcome: Outcome, extra: Partial<Applied> = {}): Applied => ({
    state: next,
    outcome,
    ...(resolved === undefined ? {} : { resolved }),
    ...extra,
  });

  const last = state.lastFiredAt;
  const throttled = last !== undefined && last <= now + CLOCK_BACK_MS && now < last + policy.throttleMinutes * 60_000;
  if (muted || throttled) {
    const held = muted ? (base.muted ?? NONE) : base.suppressed;
    const counts = {
      rows: held.rows + matches.rows,
      weighted: held.weighted + matches.weighted,
      since: held.since ?? now,
    };
    const next = episode && continueEpisode(episode, matches, policy, now, false);
    return result(
      { ...base, ...(muted ? { muted: counts } : { suppressed: counts }), ...keep(next) },
      {
        kind: 'suppressed',
        by: muted ? 'mute' : 'throttle',
      },
    );
  }

  const depositMinute = Math.floor(matches.depositedAt / 60_000);
  const anchorMinute = Math.max(state.anchorMinute ?? depositMinute, depositMinute);
  let minutes: Record<string, number> = {};
  let windowWeighted = matches.weighted;
  if (policy.windowMinutes > 0) {
    minutes = addMinutes(state.minutes, matches.minutes, anchorMinute - policy.windowMinutes - LATE_DATA_MINUTES);
    windowWeighted = busiestWindow(minutes, matches.minutes, policy.windowMinutes);
  }
  if (windowWeighted < policy.threshold) {
    const next = episode && continueEpisode(episode, matches, policy, now, false);
    return result({ ...base, minutes, anchorMinute, ...keep(next) }, { kind: 'counted', windowWeighted });
  }
  const source = episode === undefined && tracksEpisodes(policy) ? matches.source : undefined;
  const next =
    episode !== undefined
      ? continueEpisode(episode, matches, policy, now, true)
      : source !== undefined
        ? openEpisode(matches, minutes, policy, source, now)
        : undefined;
  const outcome: Outcome = {
    kind: 'fired',
    suppressed: state.suppressed,
    windowWeighted,
    ...(state.muted !== undefined && state.muted.rows > 0 ? { muted: state.muted } : {}),
  };
  return result(
    { minutes: {}, anchorMinute, lastFiredAt: now, suppressed: NONE, ...keep(next) },
    outcome,
    source === undefined ? {} : { openedEpisode: true },
  );
}

/** The state without its episode: a firing folded into a summary e-mail opens none. */
export function withoutEpisode(state: AlertState): AlertState {
  const { episode: _episode, ...rest } = state;
  return rest;
}
