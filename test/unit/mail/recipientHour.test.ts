import {
  admitToHour,
  digestDue,
  emptyHour,
  HOUR_MS,
  MAX_FOLD_KEYS,
  MAX_FOLD_LINES,
  type RecipientHour,
} from '../../../shared/core/mail/recipientHour';

const HOUR = Date.UTC(2024, 2, 5, 13);

function admitMany(count: number, limit: number): RecipientHour {
  let hour = emptyHour('ops@example.com', HOUR);
  for (let i = 0; i < count; i++) {
    hour = admitToHour(hour, `r/x/d~${i}`, { subject: `alert ${i}`, rule: 'r/x', at: HOUR + i }, limit).next ?? hour;
  }
  return hour;
}

describe('admitToHour', () => {
  it('stays bounded whatever the flood: at most the budget counted, MAX_FOLD_LINES listed, every fold in the total', () => {
    // Act
    const hour = admitMany(MAX_FOLD_KEYS + 500, 60);

    // Assert
    expect(hour.counted).toHaveLength(60);
    expect(hour.lines).toHaveLength(MAX_FOLD_LINES);
    expect(hour.folded).toHaveLength(MAX_FOLD_KEYS);
    expect(hour.foldedTotal).toBe(MAX_FOLD_KEYS + 440);
    expect(hour.lines[0]?.subject).toBe('alert 60');
  });

  it('folds everything past a budget lowered within the hour', () => {
    // Arrange: 5 counted under a budget of 10
    const hour = admitMany(5, 10);

    // Act
    const decided = admitToHour(hour, 'r/x/d~new', { subject: 's', rule: 'r/x', at: HOUR }, 3);

    // Assert
    expect(decided.admission).toBe('folded');
  });

  it.each([
    ['the hour is not over', { foldedTotal: 1 }, HOUR + HOUR_MS - 1, false],
    ['nothing was folded', { foldedTotal: 0 }, HOUR + HOUR_MS, false],
    ['its digest was made', { foldedTotal: 1, stage: 'digested' as const }, HOUR + HOUR_MS, false],
    ['the hour is over and alerts were folded', { foldedTotal: 1 }, HOUR + HOUR_MS, true],
    ['a run died after freezing it', { foldedTotal: 1, stage: 'closed' as const }, HOUR + HOUR_MS, true],
  ])('makes a digest due only when %s', (_, fields, now, due) => {
    expect(digestDue({ ...emptyHour('ops@example.com', HOUR), ...fields }, now)).toBe(due);
  });
});
