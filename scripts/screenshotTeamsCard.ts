#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { channelNotice } from '../shared/core/channels/channelNotice';
import { teamsMessage } from '../shared/core/channels/teamsCard';
import type { TelemetryRecord } from '../shared/core/export/telemetryRecord';
import type { AlertDigest } from '../shared/core/mail/alertEmail';
import { compileRule } from '../shared/core/rules/alertRule';
import { type PictureSet, runPictureScript, screenshotPage } from './headlessChromium';

// `node scripts/build.mjs && node dist/scripts/screenshotTeamsCard.js [DIR]`: docs/teams-card.png, the
// Teams card of a sample alert as the `adaptivecards` renderer (the JS library Microsoft ships for
// HTML hosts) draws it with a Teams-like host config, taken by headless Chromium. Without Chromium it
// says so and does nothing. `npm run screenshot` takes it with the other pictures.

const RESOURCE_ID =
  '/subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/shop-rg/providers/microsoft.insights/components/shop-prod';
const T0 = Date.UTC(2024, 2, 5, 13, 0);
const WIDTH = 680;

/** A FIRING alert of a windowed rule with a group, as a delivery would hand it over. */
export function sampleDigest(): AlertDigest {
  const compiled = compileRule({
    partitionKey: 'shop-prod',
    rowKey: 'checkout-5xx',
    Query: 'requests | where toint(resultCode) >= 500 and name startswith "POST /api/checkout"',
    Recipients: 'oncall@example.com',
    Severity: 1,
    Threshold: 5,
    WindowMinutes: 10,
    GroupBy: 'cloud_RoleName',
    ResourceId: RESOURCE_ID,
    Notify: 'teams:OPS',
  });
  if (!compiled.ok) throw new Error(`the sample rule does not compile: ${JSON.stringify(compiled.error)}`);
  const event = (minute: number, second: number, code: string, ms: number, op: string): TelemetryRecord => ({
    table: 'requests',
    raw: {},
    columns: {
      timestamp: new Date(T0 + minute * 60_000 + second * 1000),
      name: 'POST /api/checkout',
      resultCode: code,
      duration: ms,
      url: 'https://shop.example.com/api/checkout?cart=7f3a',
      operation_Id: op,
      cloud_RoleName: 'checkout-api',
    },
  });
  return {
    rule: compiled.value,
    appName: 'shop-prod',
    folder: 'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    blobName: 'resourceId=/SUBSCRIPTIONS/0F1E…/y=2024/m=03/d=05/h=13/m=00/PT1H.json',
    group: { label: 'cloud_RoleName=checkout-api', values: { cloud_RoleName: 'checkout-api' } },
    events: [
      event(1, 12, '503', 30012.4, '4bf92f3577b34da6a3ce929d0e0e4736'),
      event(3, 40, '500', 212.9, '00f067aa0ba902b74bf92f3577b34da6'),
      event(4, 5, '503', 30001.1, 'a3ce929d0e0e47364bf92f3577b34da6'),
      event(6, 51, '502', 88.3, '0e0e47364bf92f3577b34da6a3ce929d'),
    ],
    matched: { rows: 15, weighted: 15 },
    window: { minutes: 10, weighted: 15, threshold: 5 },
    firstEventAt: new Date(T0 + 60_000 + 12_000),
    lastEventAt: new Date(T0 + 9 * 60_000 + 30_000),
    timeZone: 'Europe/Berlin',
    ledgerKey: 'd~Qm9vdHN0cmFwLWxlZGdlcg',
  };
}

/** Teams' light theme, near enough: its font stack, spacing and the container colours a card uses. */
const HOST_CONFIG = {
  fontFamily: "'Segoe UI', 'Liberation Sans', 'DejaVu Sans', sans-serif",
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  fontSizes: { small: 12, default: 14, medium: 16, large: 18, extraLarge: 24 },
  fontTypes: {
    default: {
      fontFamily: "'Segoe UI', 'Liberation Sans', 'DejaVu Sans', sans-serif",
      fontSizes: { small: 12, default: 14, medium: 16, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 300, default: 400, bolder: 700 },
    },
    monospace: {
      fontFamily: "'Liberation Mono', 'DejaVu Sans Mono', monospace",
      fontSizes: { small: 12, default: 13, medium: 14, large: 16, extraLarge: 20 },
      fontWeights: { lighter: 300, default: 400, bolder: 700 },
    },
  },
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        accent: { default: '#5B5FC7', subtle: '#5B5FC7' },
        attention: { default: '#C4314B', subtle: '#C4314B' },
        good: { default: '#237B4B', subtle: '#237B4B' },
        warning: { default: '#835C00', subtle: '#835C00' },
      },
    },
    attention: { backgroundColor: '#FCF4F6', foregroundColors: { default: { default: '#C4314B', subtle: '#C4314B' } } },
    good: { backgroundColor: '#E7F2DA', foregroundColors: { default: { default: '#237B4B', subtle: '#237B4B' } } },
    warning: { backgroundColor: '#FBF6D9', foregroundColors: { default: { default: '#835C00', subtle: '#835C00' } } },
    accent: { backgroundColor: '#E8EBFA', foregroundColors: { default: { default: '#4F52B2', subtle: '#4F52B2' } } },
  },
  actions: { maxActions: 5, buttonSpacing: 8, showCard: { actionMode: 'inline' }, actionsOrientation: 'horizontal' },
};

/** A page that renders `card` with the adaptivecards library, in a Teams-like message frame. */
export async function cardPage(card: unknown): Promise<string> {
  const library = await readFile(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');
  const json = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Teams card</title>
<style>
  body { margin: 0; padding: 24px; background: #F5F5F5; font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif; }
  .post { max-width: 620px; }
  .who { font-size: 13px; color: #616161; margin: 0 0 6px 4px; }
  .who b { color: #242424; }
  .card { background: #FFFFFF; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.14); overflow: hidden; }
  .ac-pushButton { border: 1px solid #D1D1D1; border-radius: 4px; background: #FFFFFF; color: #242424;
    font: 600 14px 'Liberation Sans', 'DejaVu Sans', sans-serif; padding: 6px 14px; cursor: pointer; }
</style></head>
<body><div class="post"><p class="who"><b>Workflows</b> · insights-export-alerts via the "Send webhook alerts to a channel" flow</p>
<div class="card" id="card"></div></div>
<script>${library}</script>
<script>
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig(${json(HOST_CONFIG)});
  card.parse(${json(card)});
  document.getElementById('card').appendChild(card.render());
</script>
</body></html>`;
}

/** docs/teams-card.png: the card of the sample alert, cut below the card with the page's padding. */
export const teamsCardPicture: PictureSet = async (chromium, outDir) => {
  const message = JSON.parse(teamsMessage(channelNotice(sampleDigest(), 'FIRING')).body) as {
    attachments: { content: unknown }[];
  };
  const png = join(outDir, 'teams-card.png');
  await screenshotPage(chromium, await cardPage(message.attachments[0]?.content), png, {
    width: WIDTH,
    heightOf: 'document.querySelector(".post").getBoundingClientRect().bottom',
    margin: 24,
  });
  return [png];
};

if (require.main === module) runPictureScript('screenshotTeamsCard', [teamsCardPicture]);
