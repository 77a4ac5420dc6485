import { plural } from '../plural';
import type { MatchHistogram } from './matchHistogram';
import type { NoticeSection } from './notice';
import type { ZonedClock } from './zonedTime';

const MINUTE = 60_000;

/** The chart section of an alert e-mail: its histogram with times in the e-mail's zone. */
export function chartSection(histogram: MatchHistogram, clock: ZonedClock): NoticeSection {
  const { startMinute, minutesPerColumn: step, counts } = histogram;
  const startOf = (column: number) => new Date((startMinute + column * step) * MINUTE);
  const first = startOf(0);
  const last = startOf(counts.length - 1);
  const acrossDays = clock.day(first) !== clock.day(last);
  const label = (date: Date) => (acrossDays ? clock.dateTime(date) : clock.time(date));
  const per = stepName(step);
  const peak = Math.max(...counts, 0);
  const before =
    histogram.before > 0 ? ` · ${plural(histogram.before, 'earlier match', 'earlier matches')} not in the chart` : '';
  return {
    kind: 'chart',
    heading: `Matches per ${per}`,
    chart: {
      columns: counts.map((count, column) => ({ label: label(startOf(column)), count })),
      startLabel: label(first),
      endLabel: label(last),
      caption: `peak ${peak} per ${per}${before}`,
    },
  };
}

/** `minute`, `5 minutes`, `hour`, `3 hours`, `day`. */
export function stepName(minutes: number): string {
  if (minutes === 1) return 'minute';
  if (minutes % 1440 === 0) return minutes === 1440 ? 'day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'hour' : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

/** The chart's time span, epoch ms, for links that should show the same minutes. */
export function chartSpan(histogram: MatchHistogram): { readonly start: number; readonly end: number } {
  const { startMinute, minutesPerColumn, counts } = histogram;
  return { start: startMinute * MINUTE, end: (startMinute + counts.length * minutesPerColumn) * MINUTE };
}
