import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { findChromium } from '../../../scripts/headlessChromium';
import { sampleFiringEmail, sampleResolvedEmail, sampleStoppedEmail } from '../../../scripts/sampleEmails';
import { screenshotHtml } from '../../../scripts/screenshotEmails';

const chromium = findChromium();
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
if (chromium === undefined) {
  // NOTE: CI images may lack Chromium; the layout's own tests still run, only the picture is skipped.
  console.warn('Chromium not found (set CHROMIUM to its path): the e-mail screenshot tests are skipped');
}
const withChromium = chromium === undefined ? it.skip : it;

describe('the sample e-mails in a browser', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'email-png-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('renders the FIRING and the RESOLVED samples in the shared layout', () => {
    const firing = sampleFiringEmail();
    const resolved = sampleResolvedEmail();

    expect(firing.subject).toBe(
      '[Sev1] checkout-5xx: 15 requests in shop-prod [cloud_RoleName=Contoso.Api] (14:01–14:09 CET)',
    );
    expect(firing.html).toContain('FIRING &nbsp;&middot;&nbsp; SEV1 ERROR');
    expect(resolved.html).toContain('RESOLVED &nbsp;&middot;&nbsp; SEV1 ERROR');
  });

  it('renders the export-stopped sample in the same layout, its times in the sample zone', () => {
    const stopped = sampleStoppedEmail();

    expect(stopped.subject).toBe(
      '[export stopped] shop-prod AppRequests (diagnostic settings): no data since 14:00 CET',
    );
    expect(stopped.html).toContain('letter-spacing:1px">EXPORT STOPPED</div>');
    expect(stopped.text).toContain('Last data:                 2024-03-05 14:00:00 CET (45 min ago)\n');
  });

  withChromium(
    'takes a 700-pixel-wide picture of the FIRING sample, as tall as the e-mail',
    async () => {
      // NOTE: one picture proves the pipeline (two Chromium runs, ~3 s); `npm run screenshot` takes them all.
      // Act
      const png = join(dir, 'firing.png');
      await screenshotHtml(chromium as string, sampleFiringEmail().html, png);

      // Assert: a PNG 700 pixels wide (IHDR width at bytes 16-19), taller than one screen
      const bytes = await readFile(png);
      expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
      expect(bytes.readUInt32BE(16)).toBe(700);
      expect(bytes.readUInt32BE(20)).toBeGreaterThan(1_000);
    },
    120_000,
  );
});
