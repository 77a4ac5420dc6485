#!/usr/bin/env node
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { sampleFiringEmail, sampleResolvedEmail } from './sampleEmails';

// `npm run screenshot`: the sample FIRING and RESOLVED e-mails as PNG pictures in docs/, taken by
// headless Chromium at 700 px, the width of a mail client's reading pane. Without Chromium it says so
// and does nothing.

const run = promisify(execFile);
const WIDTH = 700;
/** Flags for a headless run that reaches no network and keeps no state. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--hide-scrollbars',
  '--force-device-scale-factor=1',
];
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Chromium's path: `CHROMIUM` when set, else the first usual install found; undefined when none is. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env['CHROMIUM'];
  if (configured !== undefined && configured !== '') return existsSync(configured) ? configured : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

/**
 * Writes a PNG of an HTML page as tall as its content. Chromium's --screenshot takes the window only,
 * so a first run prints the laid-out DOM with the page's height (a script only this copy carries), and
 * the second takes the picture at that height.
 */
export async function screenshotHtml(chromium: string, html: string, png: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'email-shot-'));
  try {
    const page = join(dir, 'email.html');
    const probe =
      '<script>addEventListener("load",()=>{document.body.setAttribute("data-height",' +
      'String(document.documentElement.scrollHeight))})</script>';
    await writeFile(page, html.replace('</body>', `${probe}</body>`));
    const profile = ['--user-data-dir=' + join(dir, 'profile')];
    const url = pathToFileURL(page).href;
    const dom = await run(chromium, [...FLAGS, ...profile, `--window-size=${WIDTH},1000`, '--dump-dom', url], {
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    const height = Number(/data-height="(\d+)"/.exec(dom.stdout)?.[1] ?? '2000');
    await run(
      chromium,
      [...FLAGS, ...profile, `--window-size=${WIDTH},${height}`, `--screenshot=${resolve(png)}`, url],
      {
        timeout: 60_000,
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function main(outDir = resolve(__dirname, '..', '..', 'docs')): Promise<number> {
  const chromium = findChromium();
  if (chromium === undefined) {
    process.stdout.write('screenshot: Chromium not found (set CHROMIUM to its path); no pictures taken\n');
    return 0;
  }
  await mkdir(outDir, { recursive: true });
  const pictures = [
    { name: 'email-firing', html: sampleFiringEmail().html },
    { name: 'email-resolved', html: sampleResolvedEmail().html },
  ];
  for (const { name, html } of pictures) {
    const png = join(outDir, `${name}.png`);
    await screenshotHtml(chromium, html, png);
    const bytes = (await readFile(png)).length;
    process.stdout.write(`screenshot: ${png} (${Math.round(bytes / 1024)} KB)\n`);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv[2] === undefined ? undefined : resolve(process.argv[2])).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`screenshot: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
