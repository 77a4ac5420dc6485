import type { Episode } from './alertEpisode';
import type { AlertState, SuppressedCounts } from './alertState';

/**
 * The stored form's newest version. 1 kept a list of applied blobs (dropped on read); 2 is the
 * windows, throttle and suppressed counts; 3 adds a group's mute, the matches held while muted and the
 * open episode. A state without those is written as version 2, so a build that reads only 2 keeps
 * working on every group that does not use them, and refuses (rather than drops) one that does.
 */
export const STATE_VERSION = 3;
const PLAIN_VERSION = 2;

/**
 * The state as stored: versioned JSON with minutes relative to the anchor, so a day of minutes stays
 * a few tens of KB.
 */
export function serializeState(state: AlertState): string {
  const anchor = state.anchorMinute ?? 0;
  const extended = state.muted !== undefined || state.muteUntil !== undefined || state.episode !== undefined;
  return JSON.stringify({
    v: extended ? STATE_VERSION : PLAIN_VERSION,
    a: state.anchorMinute,
    m: relativeMinutes(state.minutes, anchor),
    f: state.lastFiredAt,
    s: countsText(state.suppressed),
    ...(state.muted === undefined ? {} : { h: countsText(state.muted) }),
    ...(state.muteUntil === undefined ? {} : { u: state.muteUntil }),
    ...(state.episode === undefined ? {} : { e: episodeText(state.episode, anchor) }),
  });
}

/**
 * Reads a stored state, any version. Anything that does not read as a state is an error: a state
 * silently reset would re-fire a throttled alert, forget a mute, or lose an episode's RESOLVED notice.
 */
export function parseState(text: string): AlertState {
  const raw: unknown = JSON.parse(text);
  if (raw === null || typeof raw !== 'object')
    throw new Error(`stored alert state is ${typeof raw}, expected an object`);
  const o = raw as Record<string, unknown>;
  if (o['v'] === PLAIN_VERSION || o['v'] === STATE_VERSION) {
    const anchor = optionalNumber(o['a'], 'a');
    const lastFiredAt = optionalNumber(o['f'], 'f');
    const muteUntil = optionalNumber(o['u'], 'u');
    return {
      minutes: absoluteMinutes(o['m'], anchor ?? 0, 'm'),
      ...(anchor === undefined ? {} : { anchorMinute: anchor }),
      ...(lastFiredAt === undefined ? {} : { lastFiredAt }),
      suppressed: countsOf(o['s'], 's'),
      ...(o['h'] === undefined ? {} : { muted: countsOf(o['h'], 'h') }),
      ...(muteUntil === undefined ? {} : { muteUntil }),
      ...(o['e'] === undefined ? {} : { episode: episodeOf(o['e'], anchor ?? 0) }),
    };
  }
  if (o['v'] === undefined && typeof o['minutes'] === 'object') {
    // Version 1 (before the applied-blob list was dropped): same fields, full minute keys.
    const minutes: Record<string, number> = {};
    for (const [key, weight] of Object.entries(objectOf(o['minutes'], 'minutes')))
      minutes[key] = numberOf(weight, `minutes.${key}`);
    const sup = objectOf(o['suppressed'] ?? {}, 'suppressed');
    const since = optionalNumber(sup['since'], 'suppressed.since');
    const lastFiredAt = optionalNumber(o['lastFiredAt'], 'lastFiredAt');
    return {
      minutes,
      ...(lastFiredAt === undefined ? {} : { lastFiredAt }),
      suppressed: {
        rows: numberOf(sup['rows'] ?? 0, 'rows'),
        weighted: numberOf(sup['weighted'] ?? 0, 'weighted'),
        ...(since === undefined ? {} : { since }),
      },
    };
  }
  throw new Error(`stored alert state has version ${String(o['v'])}; this build reads versions 1 to ${STATE_VERSION}`);
}

function relativeMinutes(minutes: Readonly<Record<string, number>>, anchor: number): Record<string, number> {
  const relative: Record<string, number> = {};
  for (const [key, weight] of Object.entries(minutes)) relative[(Number(key) - anchor).toString(36)] = weight;
  return relative;
}

function absoluteMinutes(value: unknown, anchor: number, name: string): Record<string, number> {
  const minutes: Record<string, number> = {};
  for (const [key, weight] of Object.entries(objectOf(value, name))) {
    const minute = parseInt(key, 36);
    if (!Number.isSafeInteger(minute)) throw new Error(`stored alert state: ${name} has minute '${key}'`);
    minutes[String(minute + anchor)] = numberOf(weight, `${name}.${key}`);
  }
  return minutes;
}

function countsText(counts: SuppressedCounts): (number | undefined)[] {
  return [counts.rows, counts.weighted, counts.since];
}

function countsOf(value: unknown, name: string): SuppressedCounts {
  const list = Array.isArray(value) ? (value as unknown[]) : [];
  const since = optionalNumber(list[2], `${name}.since`);
  return {
    rows: numberOf(list[0] ?? 0, `${name}.rows`),
    weighted: numberOf(list[1] ?? 0, `${name}.weighted`),
    ...(since === undefined ? {} : { since }),
  };
}

function episodeText(episode: Episode, anchor: number): Record<string, unknown> {
  return {
    s: episode.since,
    b: episode.lastBreachAt,
    r: episode.rows,
    w: episode.weighted,
    n: episode.firings,
    m: relativeMinutes(episode.minutes, anchor),
    f: episode.firstEventAt,
    l: episode.lastEventAt,
    o: [episode.source.appName, episode.source.folder, episode.source.blobName, episode.source.resourceId],
  };
}

function episodeOf(value: unknown, anchor: number): Episode {
  const e = objectOf(value, 'e');
  const source = Array.isArray(e['o']) ? (e['o'] as unknown[]) : [];
  const firstEventAt = optionalNumber(e['f'], 'e.f');
  const lastEventAt = optionalNumber(e['l'], 'e.l');
  return {
    since: numberOf(e['s'], 'e.since'),
    lastBreachAt: numberOf(e['b'], 'e.lastBreachAt'),
    rows: numberOf(e['r'], 'e.rows'),
    weighted: numberOf(e['w'], 'e.weighted'),
    firings: numberOf(e['n'], 'e.firings'),
    minutes: absoluteMinutes(e['m'], anchor, 'e.m'),
    ...(firstEventAt === undefined ? {} : { firstEventAt }),
    ...(lastEventAt === undefined ? {} : { lastEventAt }),
    source: {
      appName: textOf(source[0], 'e.app'),
      folder: textOf(source[1], 'e.folder'),
      blobName: textOf(source[2], 'e.blob'),
      ...(source[3] === undefined || source[3] === null ? {} : { resourceId: textOf(source[3], 'e.resource') }),
    },
  };
}

function objectOf(value: unknown, name: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`stored alert state: ${name} is not an object`);
  return value as Record<string, unknown>;
}

function numberOf(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`stored alert state: ${name} is not a number`);
  return value;
}

function optionalNumber(value: unknown, name: string): number | undefined {
  return value === undefined || value === null ? undefined : numberOf(value, name);
}

function textOf(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new Error(`stored alert state: ${name} is not text`);
  return value;
}
