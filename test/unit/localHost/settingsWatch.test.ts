import type { HostLogLine } from '../../../local/hostLog';
import { changedSettingNames, watchLocalSettings } from '../../../local/settingsWatch';

// Issue 14 §7: editing local.settings.json while the host runs tells which settings a restart applies.
type Settings = Record<string, string | undefined>;

const RUNNING: Settings = { EXPORT_CONTAINER: 'export', SENDGRID_API_KEY: '', LOCAL_POLL_SECONDS: '2' };

/** A watch whose file the test "edits" by setting `next` and firing the change itself. */
function watchWith(running: Settings = RUNNING) {
  let next: Settings | Error = running;
  let fire = (): void => {};
  let stopped = false;
  const lines: HostLogLine[] = [];
  const watch = watchLocalSettings({
    file: '/nowhere/local.settings.json',
    running,
    read: () => {
      if (next instanceof Error) throw next;
      return next;
    },
    log: (line) => void lines.push(line),
    watch: (_file, onChange) => {
      fire = onChange;
      return () => {
        stopped = true;
      };
    },
  });
  return {
    lines,
    watch,
    edit: (settings: Settings) => {
      next = settings;
      fire();
    },
    stopped: () => stopped,
  };
}

describe('changedSettingNames', () => {
  it.each([
    ['nothing changed', { A: '1' }, { A: '1' }, []],
    ['a value changed', { A: '1', B: '2' }, { A: '1', B: '3' }, ['B']],
    ['a setting added', { A: '1' }, { B: '2', A: '1' }, ['B']],
    ['a setting removed', { A: '1', B: '2' }, { A: '1' }, ['B']],
    ['an empty value and an absent one', { A: '' }, {}, []],
    ['several, sorted', { Z: '1', A: '1' }, { Z: '2', A: '2' }, ['A', 'Z']],
  ])('%s: %j → %j gives %j', (_, before, after, expected) => {
    expect(changedSettingNames(before, after)).toEqual(expected);
  });
});

describe('watchLocalSettings', () => {
  it('says which settings changed and that a restart applies them, without their values', () => {
    // Arrange
    const { lines, edit } = watchWith();

    // Act
    edit({ ...RUNNING, SENDGRID_API_KEY: 'SG.very-secret', LOCAL_POLL_SECONDS: '5' });

    // Assert
    expect(lines).toEqual([
      {
        level: 'warn',
        source: 'host',
        text: 'local.settings.json changed: restart to apply (LOCAL_POLL_SECONDS, SENDGRID_API_KEY)',
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('very-secret');
  });

  it('says nothing for a save that changes no setting', () => {
    const { lines, edit } = watchWith();
    edit({ ...RUNNING });
    expect(lines).toEqual([]);
  });

  it('tells the same difference once, however often the file is saved', () => {
    // Arrange
    const { lines, edit } = watchWith();

    // Act
    edit({ ...RUNNING, LOCAL_POLL_SECONDS: '5' });
    edit({ ...RUNNING, LOCAL_POLL_SECONDS: '5' });
    edit({ ...RUNNING, LOCAL_POLL_SECONDS: '5', EXPORT_CONTAINER: 'other' });

    // Assert
    expect(lines.map((l) => l.text)).toEqual([
      'local.settings.json changed: restart to apply (LOCAL_POLL_SECONDS)',
      'local.settings.json changed: restart to apply (EXPORT_CONTAINER, LOCAL_POLL_SECONDS)',
    ]);
  });

  it('says so when the file is changed back to what the host runs with', () => {
    // Arrange
    const { lines, edit } = watchWith();

    // Act
    edit({ ...RUNNING, LOCAL_POLL_SECONDS: '5' });
    edit({ ...RUNNING });

    // Assert
    expect(lines.map((l) => [l.level, l.text])).toEqual([
      ['warn', 'local.settings.json changed: restart to apply (LOCAL_POLL_SECONDS)'],
      ['info', 'local.settings.json changed: it says again what the host runs with'],
    ]);
  });

  it('checks when asked, without a file event', () => {
    // Arrange
    const { lines, watch, edit } = watchWith();
    edit({ ...RUNNING });
    lines.splice(0);

    // Act
    watch.check();

    // Assert
    expect(lines).toEqual([]);
  });

  it('stops watching the file when the host stops', () => {
    const { watch, stopped } = watchWith();
    watch.stop();
    expect(stopped()).toBe(true);
  });
});
