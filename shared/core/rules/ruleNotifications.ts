import { parseNcrontab } from '../schedule/ncrontab';
import { describeRuleValue, isEdmValue, readFlag, readText, readWholeNumber } from './readRuleValue';

/** The rule properties read here, as a rule entity holds them. */
type NotificationEntity = { readonly [P in (typeof NOTIFICATION_PROPERTIES)[number]]?: unknown };

/** A problem of one property, as compileRule reports them. */
interface PropertyProblem {
  readonly property: string;
  readonly message: string;
}

/** A channel besides e-mail: `teams:OPS` reads its URL from the setting `TEAMS_WEBHOOK_OPS`. */
export interface ChannelRef {
  readonly kind: 'teams' | 'slack' | 'webhook';
  /** The setting suffix: letters, digits and `_`, as app settings allow. */
  readonly name: string;
}

/** A rule's recurring quiet time: from each start of `schedule`, `minutes` long, in `timeZone`. */
export interface MuteWindow {
  /** Six-field NCRONTAB, read in the rule's TimeZone. */
  readonly schedule: string;
  readonly minutes: number;
}

/** How and when a rule notifies, beyond its query and thresholds. */
export interface RuleNotifications {
  /** The Application Insights resource the rule's telemetry belongs to, for links (Continuous Export). */
  readonly resourceId?: string;
  /** Send a RESOLVED notice when a fired group stays under the threshold for a whole window. */
  readonly notifyResolved: boolean;
  /** Muted until then (epoch ms): matches are counted, not sent. */
  readonly muteUntil?: number;
  readonly muteWindow?: MuteWindow;
  /** IANA zone the mute schedule is read in; UTC by default. */
  readonly timeZone: string;
  readonly notify: readonly ChannelRef[];
}

export const NOTIFICATION_PROPERTIES = [
  'ResourceId',
  'NotifyResolved',
  'MuteUntil',
  'MuteSchedule',
  'MuteMinutes',
  'TimeZone',
  'Notify',
] as const;

/** Channels a rule notifies at most: an alert's notices go out one after another within its ledger lease. */
export const MAX_NOTIFY_CHANNELS = 5;

const ZONELESS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const CHANNEL = /^(teams|slack|webhook):([A-Za-z0-9_]{1,64})$/;
const RESOURCE_ID =
  /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.insights\/components\/[^/]+$/i;

/**
 * Reads the notification properties of a rule, adding a problem per bad one. `windowMinutes` decides
 * NotifyResolved's default: only a windowed rule can tell that an alert is over.
 */
export function readRuleNotifications(
  entity: NotificationEntity,
  windowMinutes: number,
  problems: PropertyProblem[],
): RuleNotifications {
  const text = (property: 'ResourceId' | 'MuteSchedule' | 'TimeZone' | 'Notify'): string => {
    const read = readText(entity[property]);
    if (read.ok) return (read.value ?? '').trim();
    problems.push({ property, message: `${property} must be text, found ${read.found}` });
    return '';
  };

  const resourceId = text('ResourceId');
  if (resourceId !== '' && !RESOURCE_ID.test(resourceId)) {
    problems.push({
      property: 'ResourceId',
      message: `ResourceId must be an Application Insights resource id (/subscriptions/…/resourceGroups/…/providers/microsoft.insights/components/…), found ${describeRuleValue(resourceId)}`,
    });
  }

  const resolved = readFlag(entity.NotifyResolved);
  if (!resolved.ok)
    problems.push({
      property: 'NotifyResolved',
      message: `NotifyResolved must be true or false, found ${resolved.found}`,
    });
  const notifyResolved = (resolved.ok ? resolved.value : undefined) ?? windowMinutes > 0;
  if (notifyResolved && windowMinutes === 0)
    problems.push({
      property: 'NotifyResolved',
      message: 'NotifyResolved needs WindowMinutes > 0: a rule counted per blob has no window to stay quiet for',
    });

  const muteUntil = readDateTime(entity.MuteUntil);
  if (muteUntil !== undefined && !muteUntil.ok)
    problems.push({ property: 'MuteUntil', message: `MuteUntil must be a date and time, found ${muteUntil.found}` });

  const timeZone = text('TimeZone') || 'UTC';
  if (!isTimeZone(timeZone))
    problems.push({
      property: 'TimeZone',
      message: `TimeZone must be an IANA time zone such as Europe/Berlin or UTC, found ${describeRuleValue(timeZone)}`,
    });

  const muteWindow = readMuteWindow(entity, text('MuteSchedule'), problems);
  const notify = readChannels(text('Notify'), problems);
  return {
    ...(resourceId === '' ? {} : { resourceId }),
    notifyResolved: notifyResolved && windowMinutes > 0,
    ...(muteUntil?.ok ? { muteUntil: muteUntil.value } : {}),
    ...(muteWindow === undefined ? {} : { muteWindow }),
    timeZone,
    notify,
  };
}

function readMuteWindow(
  entity: NotificationEntity,
  schedule: string,
  problems: PropertyProblem[],
): MuteWindow | undefined {
  const minutesRead = readWholeNumber(entity.MuteMinutes);
  const minutes = minutesRead.ok ? minutesRead.value : undefined;
  if (!minutesRead.ok || (minutes !== undefined && (minutes < 1 || minutes > 7 * 24 * 60))) {
    const found = minutesRead.ok ? describeRuleValue(entity.MuteMinutes) : minutesRead.found;
    problems.push({ property: 'MuteMinutes', message: `MuteMinutes must be a whole number 1–10080, found ${found}` });
    return undefined;
  }
  if (schedule === '' && minutes === undefined) return undefined;
  if (schedule === '' || minutes === undefined) {
    problems.push({
      property: schedule === '' ? 'MuteSchedule' : 'MuteMinutes',
      message: 'MuteSchedule and MuteMinutes go together: when each quiet time starts, and how long it lasts',
    });
    return undefined;
  }
  const parsed = parseNcrontab(schedule);
  if (!parsed.ok) {
    problems.push({ property: 'MuteSchedule', message: `MuteSchedule: ${parsed.error}` });
    return undefined;
  }
  return { schedule, minutes };
}

function readChannels(list: string, problems: PropertyProblem[]): ChannelRef[] {
  const channels: ChannelRef[] = [];
  for (const item of list.split(/[,;]/)) {
    const entry = item.trim();
    if (entry === '') continue;
    const match = CHANNEL.exec(entry);
    if (match === null) {
      problems.push({
        property: 'Notify',
        message: `Notify: '${entry.slice(0, 80)}' is not a channel; write teams:NAME, slack:NAME or webhook:NAME (NAME: letters, digits, _)`,
      });
      continue;
    }
    const channel = { kind: match[1] as ChannelRef['kind'], name: match[2] ?? '' };
    if (!channels.some((c) => c.kind === channel.kind && c.name === channel.name)) channels.push(channel);
  }
  if (channels.length > MAX_NOTIFY_CHANNELS) {
    problems.push({
      property: 'Notify',
      message: `Notify names ${channels.length} channels; at most ${MAX_NOTIFY_CHANNELS} (each alert's notices are sent under one lease)`,
    });
    return channels.slice(0, MAX_NOTIFY_CHANNELS);
  }
  return channels;
}

/** A date and time as the table stores it (Edm.DateTime, a Date) or as text (ISO 8601). */
function readDateTime(value: unknown): { ok: true; value: number } | { ok: false; found: string } | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  const raw = value instanceof Date ? value.getTime() : isEdmValue(value) ? Date.parse(String(value.value)) : NaN;
  // A time written without a zone is UTC, as every time in the rules table is, whatever the machine's zone.
  const text = typeof value === 'string' ? value.trim() : '';
  const parsed = typeof value === 'string' ? Date.parse(ZONELESS.test(text) ? `${text}Z` : text) : raw;
  return Number.isFinite(parsed) ? { ok: true, value: parsed } : { ok: false, found: describeRuleValue(value) };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
