import type { AlertEmail } from '../mail/alertEmail';
import type { NoticeSection } from '../mail/notice';
import { plural } from '../plural';
import type { DigestItems, FailingSource } from './collectDigest';
import { nameOf } from './composeWatchEmail';
import { type HealthBody, healthEmail, type HealthMailContext, oneLine } from './healthEmailBody';
import { DIGEST_LEDGER } from './healthRecord';
import { type HealthTimes, healthTimes } from './healthTimes';

/** Items of one kind a digest lists; the rest are counted. Keeps the message small whatever happened. */
export const MAX_LISTED = 50;

export interface DigestContext extends HealthMailContext {
  /** The previous digest's cutoff; undefined for the first digest (which looks back a day). */
  readonly since: number | undefined;
  /** The earliest time of the next digest. */
  readonly nextAt: number;
  readonly digestMinutes: number;
}

/** The health digest: what went wrong in the app itself since the last one, each item once. */
export function composeHealthDigest(items: DigestItems, context: DigestContext): AlertEmail {
  const times = healthTimes(context.timeZone);
  const sections: NoticeSection[] = [];
  if (items.failing.length > 0)
    sections.push(listed('Exports this app failed to read', items.failing, (f) => failingText(f, times)));
  if (items.invalidRules.length > 0)
    sections.push(
      listed('Rules that do not compile (skipped until fixed; rules validate)', items.invalidRules, (r) =>
        oneLine(`${r.rule}: ${r.problem}`, 1_000),
      ),
    );
  if (items.rejected.total > 0) {
    const shown = items.rejected.alerts.map(
      (a) =>
        `${times.at(a.at)}: rule ${oneLine(a.rule, 200)}, alert ${oneLine(a.recordKey, 100)}, blob ${oneLine(a.blob, 300)}: ${oneLine(a.error, 500)}`,
    );
    const more = items.rejected.total - shown.length;
    sections.push({
      kind: 'list',
      heading: 'Alerts that will not be sent (refused by the mail provider or channel, or given up)',
      items: more > 0 ? [...shown, `and ${more} more: export-alerts alerts list --status rejected`] : shown,
    });
  }
  if (items.configuration.length > 0)
    sections.push(listed('Configuration', items.configuration, (p) => oneLine(p, 1_000)));
  const since = context.since === undefined ? 'in the last 24 hours' : `since ${times.at(context.since)}`;
  const body: HealthBody = {
    banner: { label: 'HEALTH DIGEST', tone: 'neutral' },
    title: 'insights-export-alerts: what went wrong',
    subtitle: summaryOf(items),
    why: `What went wrong in the app itself ${since}. Each item is listed in one digest only.`,
    sections,
    footer: [
      `The next digest comes no earlier than ${times.at(context.nextAt)} (HEALTH_DIGEST_MINUTES=${context.digestMinutes}), and only when there is something new.`,
      '`export-alerts status` and `export-alerts alerts list --status rejected` show the current state.',
      `Sent by insights-export-alerts (health digest) at ${times.at(context.now)}. Times in ${times.zone}.`,
    ],
  };
  return healthEmail(`[health] insights-export-alerts: ${summaryOf(items)}`, body, context, DIGEST_LEDGER);
}

/** `2 exports failing, 1 invalid rule, 3 alerts not sent, 1 configuration problem`. */
export function summaryOf(items: DigestItems): string {
  const parts = [
    items.failing.length > 0 ? `${plural(items.failing.length, 'export')} failing` : '',
    items.invalidRules.length > 0 ? plural(items.invalidRules.length, 'invalid rule') : '',
    items.rejected.total > 0 ? `${plural(items.rejected.total, 'alert')} not sent` : '',
    items.configuration.length > 0 ? plural(items.configuration.length, 'configuration problem') : '',
  ];
  return parts.filter((p) => p !== '').join(', ');
}

function failingText(f: FailingSource, times: HealthTimes): string {
  const { lastFailure } = f.health.status;
  const poisoned = f.poisoned > 0 ? ` (${plural(f.poisoned, 'blob')} poisoned: given up by the host)` : '';
  const last =
    lastFailure === undefined
      ? ''
      : `; the last at ${times.at(lastFailure.at)} on ${oneLine(lastFailure.blob, 300)}: ${oneLine(lastFailure.error, 500)}`;
  const lastPoisoned =
    f.poisoned > 0 && f.health.lastPoisoned
      ? `; last poisoned: ${oneLine(f.health.lastPoisoned.blob, 300)} at ${times.at(f.health.lastPoisoned.at)}`
      : '';
  return `${nameOf(f.health)}: ${plural(f.failures, 'failed try', 'failed tries')}${poisoned}${last}${lastPoisoned}`;
}

function listed<T>(heading: string, items: readonly T[], text: (item: T) => string): NoticeSection {
  const shown = items.slice(0, MAX_LISTED).map(text);
  const more = items.length - shown.length;
  return { kind: 'list', heading, items: more > 0 ? [...shown, `and ${more} more`] : shown };
}
