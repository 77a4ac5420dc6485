#!/usr/bin/env node
import { join } from 'node:path';

import { type PictureSet, runPictureScript, screenshotPage } from './headlessChromium';
import { sampleFiringEmail, sampleResolvedEmail, sampleStoppedEmail } from './sampleEmails';

// `node dist/scripts/screenshotEmails.js [DIR]`: the sample FIRING, RESOLVED and export-stopped e-mails
// as PNG pictures in docs/, taken by headless Chromium at 700 px, the width of a mail client's reading
// pane. `npm run screenshot` takes these and the Teams card (screenshotDocs.ts).

const WIDTH = 700;

/** A PNG of an e-mail's HTML part, 700 px wide and as tall as the e-mail. */
export async function screenshotHtml(chromium: string, html: string, png: string): Promise<void> {
  await screenshotPage(chromium, html, png, { width: WIDTH, heightOf: 'document.documentElement.scrollHeight' });
}

export const emailPictures: PictureSet = async (chromium, outDir) => {
  const pictures = [
    { name: 'email-firing', html: sampleFiringEmail().html },
    { name: 'email-resolved', html: sampleResolvedEmail().html },
    { name: 'email-export-stopped', html: sampleStoppedEmail().html },
  ];
  const written: string[] = [];
  for (const { name, html } of pictures) {
    const png = join(outDir, `${name}.png`);
    await screenshotHtml(chromium, html, png);
    written.push(png);
  }
  return written;
};

if (require.main === module) runPictureScript('screenshotEmails', [emailPictures]);
