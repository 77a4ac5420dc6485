import { planWatch, type StoredWatch, type WatchPlan } from '../../../shared/core/health/planWatch';
import { deliveredSteadily, hourOfDay } from '../../../shared/core/health/sourceHealth';
import { MemoryExportStatus } from '../../helpers/memoryExportStatus';
import { HOUR, MIN, T0, WATCH } from './healthWorld';

/** The plan as names and times, so each case reads as one line. */
function brief(plan: WatchPlan): Record<string, unknown> {
  const at = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  return {
    stopped: plan.stopped.map((s) => `${s.health.status.app}/${s.health.status.type} since ${at(s.since)}`),
    resumed: plan.resumed.map((r) => `${r.health.status.app}/${r.health.status.type} at ${at(r.resumedAt)}`),
    forget: plan.forget.map((w) => `${w.app}/${w.type}`),
    watched: plan.watched,
    unwatched: plan.unwatched,
  };
}

function watch(app: string, type: string, state: StoredWatch['state']): StoredWatch {
  return { app, type, source: 'diagnosticSettings', state, version: 'v1' };
}

/** Diagnostic settings of shop delivering every 5 minutes for 25 hours up to `last`. */
async function steadyShop(last: number): Promise<MemoryExportStatus> {
  const status = new MemoryExportStatus();
  await status.deliverEvery('shop', 'AppRequests', 'diagnosticSettings', last - 25 * HOUR, last, 5 * MIN);
  return status;
}

describe('planWatch', () => {
  it.each([
    ['29 minutes', 29 * MIN, { stopped: [], watched: 1 }],
    ['30 minutes', 30 * MIN, { stopped: ['shop/AppRequests since 12:40'], watched: 1 }],
    ['5 hours', 5 * HOUR, { stopped: ['shop/AppRequests since 12:40'], watched: 1 }],
    ['25 hours (past the last day: no longer watched)', 25 * HOUR, { stopped: [], watched: 0 }],
  ])('a steady diagnostic-settings export quiet for %s', async (_, quiet, expected) => {
    // Arrange
    const last = T0 - 30 * MIN;
    const { sources } = await (await steadyShop(last)).listSources();

    // Act
    const plan = planWatch(sources, [], WATCH, last + quiet);

    // Assert
    expect(brief(plan)).toMatchObject(expected);
  });

  it.each([
    ['Continuous Export, 119 minutes', 'continuousExport', 119, []],
    ['Continuous Export, 120 minutes', 'continuousExport', 120, ['app/Requests since 13:10']],
    ['data export, 59 minutes', 'dataExport', 59, []],
    ['data export, 60 minutes', 'dataExport', 60, ['app/Requests since 13:10']],
  ] as const)('uses each source’s own threshold: %s', async (_, source, minutes, stopped) => {
    // Arrange
    const status = new MemoryExportStatus();
    await status.deliverEvery('app', 'Requests', source, T0 - 25 * HOUR, T0, 5 * MIN);

    // Act
    const plan = planWatch((await status.listSources()).sources, [], WATCH, T0 + minutes * MIN);

    // Assert
    expect(brief(plan).stopped).toEqual(stopped);
  });

  it('leaves an app idle by nature alone: traffic from 08:00 to 22:00 UTC, quiet at 02:00', async () => {
    // Arrange: yesterday and today 08:00–22:00, every 5 minutes
    const status = new MemoryExportStatus();
    const day = Date.UTC(2024, 2, 5);
    for (const start of [day - 24 * HOUR, day])
      await status.deliverEvery(
        'shop',
        'AppRequests',
        'diagnosticSettings',
        start + 8 * HOUR,
        start + 22 * HOUR,
        5 * MIN,
      );

    // Act
    const plan = planWatch((await status.listSources()).sources, [], WATCH, day + 26 * HOUR);

    // Assert
    expect(brief(plan)).toEqual({ stopped: [], resumed: [], forget: [], watched: 0, unwatched: 1 });
  });

  it('watches a source delivering for 6 hours once EXPORT_WATCH_STEADY_HOURS is 6, not before', async () => {
    // Arrange
    const status = new MemoryExportStatus();
    await status.deliverEvery('new', 'AppTraces', 'diagnosticSettings', T0 - 6 * HOUR, T0, 5 * MIN);
    const { sources } = await status.listSources();

    // Act
    const daily = planWatch(sources, [], WATCH, T0 + HOUR);
    const six = planWatch(sources, [], { ...WATCH, steadyHours: 6 }, T0 + HOUR);

    // Assert
    expect(brief(daily)).toMatchObject({ stopped: [], watched: 0, unwatched: 1 });
    expect(brief(six)).toMatchObject({ stopped: ['new/AppTraces since 13:10'], watched: 1 });
  });

  it.each([
    ['the app', ['shop'], []],
    ['the app and type, in any case', ['SHOP/apprequests'], []],
    ['another type of the app', ['shop/AppTraces'], ['shop/AppRequests since 12:40']],
  ])('leaves out what EXPORT_WATCH_IGNORE names: %s', async (_, ignore, stopped) => {
    // Arrange
    const last = T0 - 30 * MIN;
    const { sources } = await (await steadyShop(last)).listSources();

    // Act
    const plan = planWatch(sources, [], { ...WATCH, ignore: ignore.map((i) => i.toLowerCase()) }, last + HOUR);

    // Assert
    expect(brief(plan).stopped).toEqual(stopped);
  });

  it('reports a stopped source that delivered since as flowing again', async () => {
    // Arrange: reported stopped since 09:00, a delivery at 12:40
    const { sources } = await (await steadyShop(T0 - 30 * MIN)).listSources();
    const stopped = watch('shop', 'AppRequests', { kind: 'stopped', since: T0 - 4 * HOUR - 10 * MIN });

    // Act
    const plan = planWatch(sources, [stopped], WATCH, T0);

    // Assert
    expect(brief(plan)).toEqual({
      stopped: [],
      resumed: ['shop/AppRequests at 12:40'],
      forget: [],
      watched: 1,
      unwatched: 0,
    });
  });

  it('says nothing more of a source still quiet after its stop was reported', async () => {
    // Arrange
    const last = T0 - 3 * HOUR;
    const { sources } = await (await steadyShop(last)).listSources();

    // Act
    const plan = planWatch(sources, [watch('shop', 'AppRequests', { kind: 'stopped', since: last })], WATCH, T0);

    // Assert
    expect(brief(plan)).toEqual({ stopped: [], resumed: [], forget: [], watched: 1, unwatched: 0 });
  });

  it('reports a relapse within a day of resuming, though the gap left the source unsteady', async () => {
    // Arrange: steady until 06:00, quiet 3 h, one delivery at 09:10 (resumed), quiet since
    const status = new MemoryExportStatus();
    await status.deliverEvery('shop', 'AppRequests', 'diagnosticSettings', T0 - 32 * HOUR, T0 - 7 * HOUR, 5 * MIN);
    await status.deliverEvery('shop', 'AppRequests', 'diagnosticSettings', T0 - 4 * HOUR, T0 - 4 * HOUR, 5 * MIN);
    const resumed = watch('shop', 'AppRequests', { kind: 'resumed', since: T0 - 7 * HOUR, resumedAt: T0 - 4 * HOUR });

    // Act
    const plan = planWatch((await status.listSources()).sources, [resumed], WATCH, T0);

    // Assert
    expect(brief(plan)).toMatchObject({ stopped: ['shop/AppRequests since 09:10'], forget: [] });
    expect(plan.stopped[0]?.previous).toBe(resumed);
  });

  it('forgets a resumed source once it is steady again, and watches of sources gone from the table', async () => {
    // Arrange
    const { sources } = await (await steadyShop(T0)).listSources();
    const watches = [
      watch('shop', 'AppRequests', { kind: 'resumed', since: T0 - 30 * HOUR, resumedAt: T0 - 26 * HOUR }),
      watch('gone', 'AppTraces', { kind: 'stopped', since: T0 - 2 * HOUR }),
    ];

    // Act
    const plan = planWatch(sources, watches, WATCH, T0 + MIN);

    // Assert
    expect(brief(plan)).toEqual({
      stopped: [],
      resumed: [],
      forget: ['shop/AppRequests', 'gone/AppTraces'],
      watched: 1,
      unwatched: 0,
    });
  });
});

describe('deliveredSteadily', () => {
  it.each([
    ['every hour of the last day', 24, true],
    ['every hour but 03:00', 24, false],
    ['every hour but 03:00, over the last 6 hours', 6, true],
  ])('%s', (name, hours, expected) => {
    // Arrange: deliveries at :30 of each hour up to 13:30 on 5 March
    const last = Date.UTC(2024, 2, 5, 13, 30);
    const slots: (number | undefined)[] = Array.from({ length: 24 }, () => undefined);
    for (let at = last - 23 * HOUR; at <= last; at += HOUR) slots[hourOfDay(at)] = at;
    if (name.includes('but 03:00')) slots[3] = undefined;

    // Act, Assert
    expect(deliveredSteadily(slots, last, hours)).toBe(expected);
  });

  it('does not take a slot from the day before for the same hour of today', () => {
    // Arrange: hour 12 holds yesterday's 12:30, every other hour today's
    const last = Date.UTC(2024, 2, 5, 13, 30);
    const slots = Array.from({ length: 24 }, (_, h) => Date.UTC(2024, 2, h <= 13 ? 5 : 4, h, 30));
    slots[12] = Date.UTC(2024, 2, 4, 12, 30);

    // Act, Assert
    expect(deliveredSteadily(slots, last, 24)).toBe(false);
  });
});
