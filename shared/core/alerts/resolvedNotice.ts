import { resolvedChannelNotice } from '../channels/resolvedChannelNotice';
import { digestKey } from '../digestKey';
import { composeResolvedEmail, type ResolvedNotice } from '../mail/composeResolvedEmail';
import { appResourceIdOf, DEFAULT_NOTICE_SETTINGS, type NoticeSettings } from '../mail/noticeSettings';
import { componentOf } from '../mail/portalLinks';
import type { AlertRule } from '../rules/alertRule';
import type { EpisodeResolution, EpisodeSource } from './alertEpisode';
import type { AlertRecord } from './alertRecord';
import type { AlertState } from './alertState';
import { channelRecordsFor } from './channelRecords';
import type { MatchBucket } from './matchCollector';
import { muteAt } from './muting';

/** What a RESOLVED notice's record is written with. */
export interface NoticeContext {
  readonly now: number;
  readonly from: string;
  readonly notice?: NoticeSettings;
  /**
   * Claimed by the writer until then, which sends it at once (the maintenance timer); absent, it is
   * written with its lease already over, for the next maintenance run to send (a delivery's decision).
   */
  readonly claimedUntil?: number;
}

/**
 * The record key of an episode's RESOLVED notice: the group and the episode's first firing name it,
 * so every writer (a delivery, either of two maintenance timers, a retry after a crash) derives the
 * same key, and the record's creation, in the transaction that closes the episode, happens once.
 */
export function resolvedKeyOf(groupKey: string, since: number): string {
  return `r~${digestKey(`${groupKey}\u0000${since}`, 32)}`;
}

/**
 * The ledger record of a RESOLVED notice, its e-mail composed. `before` is the group's state as it was
 * when the episode ended: whether a mute held the notice back is read from it and the rule.
 */
export function resolvedRecordOf(
  rule: AlertRule,
  groupKey: string,
  before: AlertState,
  resolution: EpisodeResolution,
  context: NoticeContext,
): AlertRecord {
  return resolvedRecordsOf(rule, groupKey, before, resolution, context)[0];
}

/**
 * The RESOLVED notice's e-mail record (first) and its channel records (the rule's Notify), all to be
 * written in the transaction that closes the episode.
 */
export function resolvedRecordsOf(
  rule: AlertRule,
  groupKey: string,
  before: AlertState,
  resolution: EpisodeResolution,
  context: NoticeContext,
): [AlertRecord, ...AlertRecord[]] {
  const { episode, resolvedAt } = resolution;
  const recordKey = resolvedKeyOf(groupKey, episode.since);
  const settings = context.notice ?? DEFAULT_NOTICE_SETTINGS;
  const appResourceId = appResourceIdOf(settings, episode.source.appName);
  const group = groupOfKey(groupKey);
  const notice: ResolvedNotice = {
    rule,
    appName: episode.source.appName,
    folder: episode.source.folder,
    blobName: episode.source.blobName,
    ...(group === undefined ? {} : { group }),
    firstFiredAt: new Date(episode.since),
    lastBreachAt: new Date(episode.lastBreachAt),
    resolvedAt: new Date(resolvedAt),
    matched: { rows: episode.rows, weighted: episode.weighted },
    firings: episode.firings,
    ...(episode.firstEventAt === undefined || episode.lastEventAt === undefined
      ? {}
      : { events: { first: new Date(episode.firstEventAt), last: new Date(episode.lastEventAt) } }),
    ...(muteAt(rule.notifications, before, resolvedAt) === undefined ? {} : { heldByMute: true }),
    ...(episode.source.resourceId === undefined ? {} : { resourceId: episode.source.resourceId }),
    ...(appResourceId === undefined ? {} : { appResourceId }),
    timeZone: settings.timeZone,
    ledgerKey: recordKey,
  };
  const claimed = context.claimedUntil !== undefined;
  const record: AlertRecord = {
    ruleKey: `${rule.scope}/${rule.id}`,
    recordKey,
    groupKey,
    blobName: episode.source.blobName,
    deliveryId: digestKey(`resolved\u0000${recordKey}`, 22),
    status: 'sending',
    recordedAt: context.now,
    leaseUntil: context.claimedUntil ?? context.now,
    attempts: claimed ? 1 : 0,
    acceptedBatches: [],
    email: composeResolvedEmail(notice, context.from),
    rows: episode.rows,
    weighted: episode.weighted,
  };
  if (rule.notifications.notify.length === 0) return [record];
  return [record, ...channelRecordsFor(record, rule, resolvedChannelNotice(notice))];
}

/** Where a bucket's matches came from, as an episode it opens keeps it: the notice names the same app and resource. */
export function episodeSourceOf(
  bucket: Pick<MatchBucket, 'events'>,
  source: { readonly appName: string; readonly folder: string; readonly blobName: string },
): EpisodeSource {
  let resourceId: string | undefined;
  for (const event of bucket.events) {
    const component = componentOf(event.columns['_ResourceId']);
    if (component === undefined) continue;
    // Matches of several resources: the notice links to none of them rather than to one at random.
    if (resourceId !== undefined && resourceId.toLowerCase() !== component.id.toLowerCase()) {
      resourceId = undefined;
      break;
    }
    resourceId = component.id;
  }
  return {
    appName: source.appName,
    folder: source.folder,
    blobName: source.blobName,
    ...(resourceId === undefined ? {} : { resourceId }),
  };
}

/** The group a stored key stands for: `groupKeyOf`'s JSON pairs; undefined without GroupBy. */
function groupOfKey(groupKey: string): ResolvedNotice['group'] {
  if (groupKey === '') return undefined;
  try {
    const pairs: unknown = JSON.parse(groupKey);
    if (Array.isArray(pairs) && pairs.every((p) => Array.isArray(p) && p.length === 2)) {
      const values: Record<string, string> = {};
      for (const [key, value] of pairs as [unknown, unknown][]) values[String(key)] = String(value);
      return {
        label: Object.entries(values)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
        values,
      };
    }
  } catch {
    // Not the JSON pairs groupKeyOf writes (the overflow group): shown as stored.
  }
  return { label: groupKey, values: {} };
}
