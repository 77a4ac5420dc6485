import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { HostLogLine } from '../../../local/hostLog';
import { localHostSettings } from '../../../local/localSettings';
import { watchLocalSettings } from '../../../local/settingsWatch';
import { environmentWithLocalSettings } from '../../../shared/adapters/settings/localSettingsFile';

// Issue 14 §7: the notice reads the real file, as `npm start` does.
describe('watchLocalSettings on a real local.settings.json', () => {
  let folder: string;
  let file: string;
  const lines: HostLogLine[] = [];
  const write = (values: Record<string, string>) =>
    writeFile(file, JSON.stringify({ IsEncrypted: false, Values: values }));
  const watchFolder = () =>
    watchLocalSettings({
      file,
      running: localHostSettings(environmentWithLocalSettings(folder, {})),
      read: () => localHostSettings(environmentWithLocalSettings(folder, {})),
      log: (line) => void lines.push(line),
      watch: () => () => {},
    });

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'settings-watch-'));
    file = join(folder, 'local.settings.json');
    lines.splice(0);
    await write({ EXPORT_CONTAINER: 'export', SENDGRID_API_KEY: '' });
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('names the settings an edit changed', async () => {
    // Arrange
    const watch = watchFolder();

    // Act
    await write({ EXPORT_CONTAINER: 'export', SENDGRID_API_KEY: 'SG.secret', RETENTION_DAYS: '7' });
    watch.check();

    // Assert
    expect(lines.map((l) => l.text)).toEqual([
      'local.settings.json changed: restart to apply (OUTBOX_DIR, RETENTION_DAYS, SENDGRID_API_KEY)',
    ]);
  });

  it('says where a half-written file stops being JSON, without quoting it', async () => {
    // Arrange
    const watch = watchFolder();

    // Act
    await writeFile(file, '{\n  "Values": {\n    "SENDGRID_API_KEY": "SG.secret"\n    "X": "1"\n  }\n}\n');
    watch.check();

    // Assert
    expect(lines).toEqual([
      {
        level: 'warn',
        source: 'host',
        text: 'local.settings.json changed but cannot be read (not valid JSON at line 4, column 5): the host keeps running with the settings it started with',
      },
    ]);
  });
});
