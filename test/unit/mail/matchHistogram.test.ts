import { chartSection, stepName } from '../../../shared/core/mail/alertChart';
import { matchHistogram, MAX_HISTOGRAM_COLUMNS } from '../../../shared/core/mail/matchHistogram';
import { chartText } from '../../../shared/core/mail/renderNoticeText';
import { zonedClock } from '../../../shared/core/mail/zonedTime';

/** 13:00 UTC on 2024-03-05, in epoch minutes. */
const M0 = Date.UTC(2024, 2, 5, 13, 0) / 60_000;

/** Minutes after 13:00 → weighted matches. */
function minutes(entries: Record<number, number>): Map<number, number> {
  return new Map(Object.entries(entries).map(([offset, weight]) => [M0 + Number(offset), weight]));
}

/** The chart as the plain-text part writes it. */
function text(entries: Record<number, number>, windowMinutes: number, zone = 'UTC'): string[] {
  const histogram = matchHistogram(minutes(entries), windowMinutes);
  if (histogram === undefined) throw new Error('no histogram');
  const section = chartSection(histogram, zonedClock(zone));
  if (section.kind !== 'chart') throw new Error('not a chart');
  return [section.heading, ...chartText(section.chart)];
}

describe('matchHistogram', () => {
  it('draws a windowed rule’s window, one column a minute, ending at the latest match', () => {
    expect(text({ 1: 1, 3: 2, 4: 3, 5: 1, 6: 4, 8: 3, 9: 1 }, 10)).toEqual([
      'Matches per minute',
      '13:00 UTC ·▂·▄▆▂█·▆▂ 13:09 UTC',
      'peak 4 per minute',
    ]);
  });

  it('draws at least ten minutes of a delivery, so one busy minute keeps its context', () => {
    expect(text({ 7: 5 }, 0)).toEqual(['Matches per minute', '12:58 UTC ·········█ 13:07 UTC', 'peak 5 per minute']);
  });

  it('draws a delivery’s whole span when it is longer', () => {
    expect(text({ 0: 2, 14: 1 }, 0, 'Europe/Berlin')).toEqual([
      'Matches per minute',
      '14:00 CET █·············▄ 14:14 CET',
      'peak 2 per minute',
    ]);
  });

  it('says how many of the delivery’s matches fall before the window', () => {
    expect(text({ 0: 4, 30: 1, 34: 2 }, 5)).toEqual([
      'Matches per minute',
      '13:30 UTC ▄···█ 13:34 UTC',
      'peak 2 per minute · 4 earlier matches not in the chart',
    ]);
  });

  it('shares columns past 60 minutes, on round steps, and stays within 60 columns', () => {
    // Arrange: a day-long window with matches at its start and end
    const histogram = matchHistogram(minutes({ [-1439 + 60]: 1, 0: 3, 1: 2 }), 1440);

    // Assert
    expect(histogram).toMatchObject({ minutesPerColumn: 30, before: 0 });
    expect(histogram?.counts.length).toBeLessThanOrEqual(MAX_HISTOGRAM_COLUMNS);
    expect(histogram?.counts.reduce((a, b) => a + b, 0)).toBe(6);
    expect(histogram?.counts.at(-1)).toBe(5);
    expect((histogram?.startMinute ?? 0) % 30).toBe(0);
  });

  it.each([
    [1, 1],
    [60, 1],
    [61, 2],
    [120, 3],
    [300, 10],
    [1440, 30],
    [7 * 1440, 180],
  ])('a %i-minute window draws columns of %i minutes, at most 60 of them', (window, step) => {
    const histogram = matchHistogram(minutes({ 0: 1 }), window);

    expect(histogram?.minutesPerColumn).toBe(step);
    expect(histogram?.counts.length).toBeLessThanOrEqual(MAX_HISTOGRAM_COLUMNS);
  });

  it('labels a chart that crosses midnight with dates', () => {
    const histogram = matchHistogram(minutes({ [11 * 60 - 5]: 1, [11 * 60 + 3]: 1 }), 0);
    const section = histogram && chartSection(histogram, zonedClock('UTC'));

    expect(section?.kind === 'chart' && [section.chart.startLabel, section.chart.endLabel]).toEqual([
      '2024-03-05 23:54 UTC',
      '2024-03-06 00:03 UTC',
    ]);
  });

  it('draws nothing without minutes', () => {
    expect(matchHistogram(new Map(), 10)).toBeUndefined();
  });

  it.each([
    [1, 'minute'],
    [5, 'minutes'],
    [60, 'hour'],
    [180, 'hours'],
    [1440, 'day'],
  ])('names a step of %i minutes per %s', (minutesPerStep, word) => {
    expect(stepName(minutesPerStep)).toContain(word);
  });
});
