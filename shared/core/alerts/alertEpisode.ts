import { CLOCK_BACK_MS } from './alertClock';
import { addMinutes, busiestWindow, type MinuteCounts } from './windowCounts';

/**
 * One alert of one group, from its first e-mail to its resolution, kept with the group's state when the
 * rule sends RESOLVED notices (NotifyResolved on a windowed rule). It is resolved once a whole window
 * has passed since its last breach: since the last delivery whose matches met the threshold within a
 * window, whether that delivery fired or the throttle or a mute held it back. Every match counts toward
 * a breach here, so a firing, which consumes the window it fired on, never makes a busy group look quiet.
 */
export interface Episode {
  /** App clock (ms) of the episode's first e-mail: with the group, it names the episode and its notice. */
  readonly since: number;
  /** App clock (ms) of the last delivery whose matches met the threshold within a window. */
  readonly lastBreachAt: number;
  /** Matches of the deliveries from the first firing on, and the sum of their itemCount. */
  readonly rows: number;
  readonly weighted: number;
  /** Alert e-mails of the episode, the first included. */
  readonly firings: number;
  /** Every match of the episode per minute, throttled and muted ones too: what a breach is measured on. */
  readonly minutes: MinuteCounts;
  /** Event time range of the episode's matches (epoch ms); absent when none carried a usable time. */
  readonly firstEventAt?: number;
  readonly lastEventAt?: number;
  /** Where the first firing's data came from: the notice names the same app. */
  readonly source: EpisodeSource;
}

export interface EpisodeSource {
  readonly appName: string;
  readonly folder: string;
  readonly blobName: string;
  /** The Application Insights resource the firing's telemetry named (`_ResourceId`), for the notice's link. */
  readonly resourceId?: string;
}

/** What one delivery brings to an episode. */
export interface EpisodeMatches {
  readonly rows: number;
  readonly weighted: number;
  readonly minutes: ReadonlyMap<number, number>;
  readonly depositedAt: number;
  readonly firstEventAt?: number;
  readonly lastEventAt?: number;
}

export interface EpisodePolicy {
  readonly threshold: number;
  readonly windowMinutes: number;
}

/** An episode found over, and when: a whole window after its last breach. */
export interface EpisodeResolution {
  readonly episode: Episode;
  readonly resolvedAt: number;
}

/**
 * Minutes an episode keeps behind its newest: a window plus this much late data. A delivery later than
 * that still fires on its own through the group's window, which keeps a day; it only cannot combine
 * with older throttled or muted matches into a breach. Keeps the state at most one window larger.
 */
export const EPISODE_LATE_MINUTES = 60;

/** When the episode resolves unless a breach comes first. */
export function resolvesAt(episode: Pick<Episode, 'lastBreachAt'>, windowMinutes: number): number {
  return episode.lastBreachAt + windowMinutes * 60_000;
}

/**
 * Whether a whole window has passed since the episode's last breach. A breach stamped further ahead of
 * the clock than CLOCK_BACK_MS means the clock went back: nothing is due until it is stamped again
 * (`continueEpisode`, or the maintenance timer's restamp), so a wrong clock cannot resolve anything.
 */
export function isDue(episode: Pick<Episode, 'lastBreachAt'>, windowMinutes: number, now: number): boolean {
  return episode.lastBreachAt <= now + CLOCK_BACK_MS && now >= resolvesAt(episode, windowMinutes);
}

/** Whether the breach is stamped ahead of the clock by more than the skew instances may have. */
export function isStampedAhead(episode: Pick<Episode, 'lastBreachAt'>, now: number): boolean {
  return episode.lastBreachAt > now + CLOCK_BACK_MS;
}

/** The episode a firing opens: `fired` are the window minutes it fired on, this delivery's included. */
export function openEpisode(
  matches: EpisodeMatches,
  fired: MinuteCounts,
  policy: EpisodePolicy,
  source: EpisodeSource,
  now: number,
): Episode {
  const oldest = newestMinute(fired, matches.depositedAt) - policy.windowMinutes - EPISODE_LATE_MINUTES;
  return {
    since: now,
    lastBreachAt: now,
    rows: matches.rows,
    weighted: matches.weighted,
    firings: 1,
    minutes: addMinutes(fired, new Map(), oldest),
    ...eventRange(undefined, matches),
    source,
  };
}

/**
 * The episode after one more delivery of the group. A breach (the delivery fired, or its matches meet
 * the threshold within a window of the episode's) moves the last breach to `now`. Once the episode is
 * due (held by a mute, or not yet seen by the maintenance timer), a delivery that does not breach is
 * not part of it: it is left as it was, to be resolved as of its quiet window's end.
 */
export function continueEpisode(
  episode: Episode,
  matches: EpisodeMatches,
  policy: EpisodePolicy,
  now: number,
  fired: boolean,
): Episode {
  const oldest = newestMinute(episode.minutes, matches.depositedAt) - policy.windowMinutes - EPISODE_LATE_MINUTES;
  const minutes = addMinutes(episode.minutes, matches.minutes, oldest);
  const breach = fired || busiestWindow(minutes, matches.minutes, policy.windowMinutes) >= policy.threshold;
  if (!breach && isDue(episode, policy.windowMinutes, now)) return episode;
  const ahead = isStampedAhead(episode, now);
  return {
    ...episode,
    lastBreachAt: ahead ? now : breach ? Math.max(episode.lastBreachAt, now) : episode.lastBreachAt,
    rows: episode.rows + matches.rows,
    weighted: episode.weighted + matches.weighted,
    firings: episode.firings + (fired ? 1 : 0),
    minutes,
    ...eventRange(episode, matches),
  };
}

function newestMinute(minutes: MinuteCounts, depositedAt: number): number {
  let newest = Math.floor(depositedAt / 60_000);
  for (const key of Object.keys(minutes)) newest = Math.max(newest, Number(key));
  return newest;
}

function eventRange(
  episode: Pick<Episode, 'firstEventAt' | 'lastEventAt'> | undefined,
  matches: Pick<EpisodeMatches, 'firstEventAt' | 'lastEventAt'>,
): { firstEventAt?: number; lastEventAt?: number } {
  const firsts = [episode?.firstEventAt, matches.firstEventAt].filter(isFiniteNumber);
  const lasts = [episode?.lastEventAt, matches.lastEventAt].filter(isFiniteNumber);
  return {
    ...(firsts.length === 0 ? {} : { firstEventAt: Math.min(...firsts) }),
    ...(lasts.length === 0 ? {} : { lastEventAt: Math.max(...lasts) }),
  };
}

function isFiniteNumber(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value);
}
