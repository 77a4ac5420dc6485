import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

// Pictures of HTML pages for docs/, taken by headless Chromium from the command line: what
// `npm run screenshot` and its tests use. No browser library: the installed Chromium is enough.

const run = promisify(execFile);
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
/**
 * The window the page is measured in. NOTE: a page is never shorter than its window, so it is measured
 * in a short one: what it reports is then the content's height, not the window's.
 */
const PROBE_HEIGHT = 200;
const TIMEOUT_MS = 60_000;

/** Chromium's path: `CHROMIUM` when set, else the first usual install found; undefined when none is. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env['CHROMIUM'];
  if (configured !== undefined && configured !== '') return existsSync(configured) ? configured : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

export interface PageShot {
  /** The window's width in CSS pixels; the picture's width (the device scale factor is 1). */
  readonly width: number;
  /** A JavaScript expression the page evaluates once loaded: the height to keep, in CSS pixels. */
  readonly heightOf: string;
  /** Pixels kept below that height. */
  readonly margin?: number;
}

/**
 * Writes a PNG of an HTML page, as tall as `heightOf` says. Chromium's --screenshot takes the window
 * only, so a first run prints the laid-out DOM with the height written into it (by a script only this
 * copy of the page carries), and the second takes the picture at that height. Each run gets its own
 * profile directory, so no state is shared with a browser in use or between pictures.
 */
export async function screenshotPage(chromium: string, html: string, png: string, shot: PageShot): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'page-shot-'));
  try {
    const page = join(dir, 'page.html');
    const probe =
      '<script>addEventListener("load",()=>{document.body.setAttribute("data-shot-height",' +
      `String(Math.ceil(${shot.heightOf})))})</script>`;
    const at = html.lastIndexOf('</body>');
    await writeFile(page, at < 0 ? `${html}${probe}` : `${html.slice(0, at)}${probe}${html.slice(at)}`);
    const profile = `--user-data-dir=${join(dir, 'profile')}`;
    const url = pathToFileURL(page).href;
    const dom = await run(
      chromium,
      [...FLAGS, profile, `--window-size=${shot.width},${PROBE_HEIGHT}`, '--dump-dom', url],
      {
        maxBuffer: 64 * 1024 * 1024,
        timeout: TIMEOUT_MS,
      },
    );
    const measured = Number(/data-shot-height="(\d+)"/.exec(dom.stdout)?.[1]);
    if (!Number.isFinite(measured) || measured <= 0) {
      throw new Error(`the page did not report its height (${shot.heightOf}); is its HTML complete?`);
    }
    const height = measured + (shot.margin ?? 0);
    await run(
      chromium,
      [...FLAGS, profile, `--window-size=${shot.width},${height}`, `--screenshot=${resolve(png)}`, url],
      {
        timeout: TIMEOUT_MS,
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Takes a set of pictures into a folder and returns the PNG paths it wrote. */
export type PictureSet = (chromium: string, outDir: string) => Promise<string[]>;

/**
 * The command line of a picture script: `[DIR]`, docs/ by default. Without Chromium it says so and
 * succeeds, so a machine without a browser can still run everything else.
 */
export async function takePictures(name: string, sets: readonly PictureSet[], outDir: string): Promise<number> {
  const chromium = findChromium();
  if (chromium === undefined) {
    process.stdout.write(`${name}: Chromium not found (set CHROMIUM to its path); no pictures taken\n`);
    return 0;
  }
  await mkdir(outDir, { recursive: true });
  for (const set of sets) {
    for (const png of await set(chromium, outDir)) {
      process.stdout.write(`${name}: ${png} (${Math.round((await readFile(png)).length / 1024)} KB)\n`);
    }
  }
  return 0;
}

/** Runs `takePictures` as a script's main: the folder from argv, one line on failure, the exit code. */
export function runPictureScript(name: string, sets: readonly PictureSet[]): void {
  const outDir = resolve(process.argv[2] ?? resolve(__dirname, '..', '..', 'docs'));
  takePictures(name, sets, outDir).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
