import type { RuleNotifications } from '../rules/ruleNotifications';
import { parseNcrontab } from '../schedule/ncrontab';
import { formatWallTime, nextQuietTime, quietTimeAt } from '../schedule/zonedSchedule';
import { formatUtc } from '../status/utcTime';
import type { AlertState } from './alertState';

/** Why a group's matches are held now, and until when. */
export interface Mute {
  /** `rule`: the rule's MuteUntil; `schedule`: a quiet time of its MuteSchedule; `group`: `rules mute --group`. */
  readonly by: 'rule' | 'schedule' | 'group';
  /** Epoch ms the mute ends, as far as is known now (a quiet time may be followed by the next). */
  readonly until: number;
}

/** The rule settings a mute is read from. */
export type MuteSettings = Pick<RuleNotifications, 'muteUntil' | 'muteWindow' | 'timeZone'>;

/** Longest `rules mute --group`: a group's state idle for 15 days is deleted, mute and all. */
export const MAX_GROUP_MUTE_DAYS = 14;

/** The rule's own mute at `now`: MuteUntil ahead, or a quiet time of MuteSchedule under way. */
export function ruleMuteAt(settings: MuteSettings, now: number): Mute | undefined {
  const mutes: Mute[] = [];
  if (settings.muteUntil !== undefined && now < settings.muteUntil)
    mutes.push({ by: 'rule', until: settings.muteUntil });
  const quiet = quietTimeOf(settings, now);
  if (quiet !== undefined) mutes.push({ by: 'schedule', until: quiet.end });
  return latest(mutes);
}

/** The group's own mute at `now`. */
export function groupMuteAt(state: Pick<AlertState, 'muteUntil'> | undefined, now: number): Mute | undefined {
  const until = state?.muteUntil;
  return until !== undefined && now < until ? { by: 'group', until } : undefined;
}

/** Whichever mute holds the group at `now` longest: the rule's or the group's. */
export function muteAt(
  settings: MuteSettings,
  state: Pick<AlertState, 'muteUntil'> | undefined,
  now: number,
): Mute | undefined {
  return latest([ruleMuteAt(settings, now), groupMuteAt(state, now)].filter((m): m is Mute => m !== undefined));
}

/**
 * The rule's mute in words, after `Muted` in `rules show`: `until 2024-03-05 15:10:00 UTC (MuteUntil)`,
 * `in a quiet time until 08:00 Europe/Berlin (2024-03-09 07:00:00 UTC; MuteSchedule)`, `no; next quiet
 * time 22:00 Europe/Berlin to …`; undefined for a rule that sets no mute.
 */
export function describeRuleMute(settings: MuteSettings, now: number): string | undefined {
  const window = settings.muteWindow;
  if (settings.muteUntil === undefined && window === undefined) return undefined;
  const mute = ruleMuteAt(settings, now);
  if (mute !== undefined) {
    return mute.by === 'rule'
      ? `until ${formatUtc(mute.until)} (MuteUntil)`
      : `in a quiet time until ${formatWallTime(mute.until, settings.timeZone, now)} (${formatUtc(mute.until)}; MuteSchedule)`;
  }
  const parsed = window === undefined ? undefined : parseNcrontab(window.schedule);
  const next =
    window !== undefined && parsed?.ok
      ? nextQuietTime(parsed.value, window.minutes, settings.timeZone, now)
      : undefined;
  return next === undefined
    ? 'no'
    : `no; next quiet time ${formatWallTime(next.start, settings.timeZone, now)} to ${formatWallTime(next.end, settings.timeZone, next.start)} (from ${formatUtc(next.start)})`;
}

function quietTimeOf(settings: MuteSettings, now: number): { end: number } | undefined {
  const window = settings.muteWindow;
  if (window === undefined) return undefined;
  // Validated when the rule compiled; a schedule that does not parse here mutes nothing.
  const parsed = parseNcrontab(window.schedule);
  return parsed.ok ? quietTimeAt(parsed.value, window.minutes, settings.timeZone, now) : undefined;
}

function latest(mutes: readonly Mute[]): Mute | undefined {
  return mutes.reduce<Mute | undefined>((a, b) => (a === undefined || b.until > a.until ? b : a), undefined);
}
