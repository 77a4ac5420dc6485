import { escapeHtml } from './displayValue';
import {
  bannerLabel,
  type Notice,
  type NoticeChart,
  type NoticeFact,
  type NoticeLink,
  type NoticeRecord,
  type NoticeSection,
  severityLabel,
} from './notice';
import { type BannerColours, bannerColours, FONT, INK, LINK, MONO, MUTED, PAGE, RULE_LINE, WIDTH } from './noticeStyle';
import { isPortalHref } from './portalLinks';
import { codeLines, line } from './renderNoticeText';

const CHART_HEIGHT = 64;
/** A presentation table: what every layout block is, since Outlook lays out tables, not divs. */
const TABLE = 'role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"';

/** Escaped one-line text for element content and attribute values. */
const t = (text: string): string => escapeHtml(line(text));

/**
 * The HTML part of a notice: one column of tables, at most 640 px wide and narrower on a phone, inline
 * styles only. Every string is escaped; only hrefs that pass `isPortalHref` become links.
 */
export function renderNoticeHtml(notice: Notice): string {
  const colours = bannerColours(notice.state, notice.severity, notice.banner?.tone);
  const rows = [
    banner(notice, colours),
    block(`padding:20px 24px 0;font-size:16px;line-height:24px;color:${INK}`, t(notice.why)),
    ...(notice.held ?? []).map((held) =>
      block(`padding:6px 24px 0;font-size:14px;line-height:20px;color:${MUTED}`, t(held)),
    ),
    linksRow(notice),
    ...notice.sections.map((section) => block('padding:24px 24px 0', sectionHtml(section, colours))),
    footer(notice),
  ];
  const title = `${notice.banner?.label ?? notice.state}: ${line(notice.title)}${notice.subtitle === undefined ? '' : ` (${line(notice.subtitle)})`}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light">',
    `<title>${t(title)}</title></head>`,
    `<body style="margin:0;padding:0;background:${PAGE};-webkit-text-size-adjust:100%">`,
    // The preheader: what an inbox lists next to the subject.
    `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${t(notice.why)}</div>`,
    `<table ${TABLE} bgcolor="${PAGE}" style="background:${PAGE}"><tr><td align="center" style="padding:24px 8px">`,
    // NOTE: Outlook for Windows ignores max-width; a fixed-width table only it reads keeps the column.
    `<!--[if mso]><table role="presentation" width="${WIDTH}" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->`,
    `<table ${TABLE} bgcolor="#ffffff" style="max-width:${WIDTH}px;background:#ffffff;border:1px solid ${RULE_LINE};border-radius:6px;border-collapse:separate;${FONT}">`,
    ...rows,
    '</table>',
    '<!--[if mso]></td></tr></table><![endif]-->',
    '</td></tr></table>',
    '</body></html>',
    '',
  ].join('\n');
}

function block(style: string, content: string): string {
  return `<tr><td style="${style};${FONT}">${content}</td></tr>`;
}

function banner(notice: Notice, c: BannerColours): string {
  const subtitle =
    notice.subtitle === undefined
      ? ''
      : `<div style="font-size:14px;line-height:20px;margin-top:2px;word-break:break-word">${t(notice.subtitle)}</div>`;
  return (
    `<tr><td bgcolor="${c.background}" style="background:${c.background};color:${c.text};padding:16px 24px;border-radius:5px 5px 0 0;${FONT}">` +
    `<div style="font-size:12px;line-height:16px;font-weight:700;letter-spacing:1px">${bannerHtml(notice)}</div>` +
    `<div style="font-size:22px;line-height:28px;font-weight:600;margin-top:6px;word-break:break-word">${t(notice.title)}</div>` +
    `${subtitle}</td></tr>`
  );
}

function bannerHtml(notice: Notice): string {
  return notice.banner === undefined
    ? `${notice.state} &nbsp;&middot;&nbsp; ${t(severityLabel(notice.severity)).toUpperCase()}`
    : t(bannerLabel(notice));
}

function linksRow(notice: Notice): string {
  const links = notice.links.filter((link) => isPortalHref(link.href));
  if (links.length === 0) {
    return notice.linksNote === undefined
      ? ''
      : block(`padding:14px 24px 0;font-size:13px;line-height:19px;color:${MUTED}`, t(notice.linksNote));
  }
  const buttons = links
    .map(
      (link, i) =>
        `<td${i > 0 ? ' style="padding-left:8px"' : ''}><table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>` +
        `<td bgcolor="${LINK}" style="background:${LINK};border-radius:4px">${anchor(link, `display:inline-block;padding:9px 16px;${FONT};font-size:14px;font-weight:600;line-height:18px;color:#ffffff;text-decoration:none;border-radius:4px`)}</td>` +
        '</tr></table></td>',
    )
    .join('');
  return block(
    'padding:18px 24px 0',
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>${buttons}</tr></table>`,
  );
}

function anchor(link: NoticeLink, style: string): string {
  return isPortalHref(link.href)
    ? `<a href="${escapeHtml(link.href)}" target="_blank" rel="noopener noreferrer" style="${style}">${t(link.label)}</a>`
    : t(link.label);
}

function heading(text: string): string {
  return `<div style="font-size:12px;line-height:16px;font-weight:700;letter-spacing:.6px;color:${MUTED};text-transform:uppercase;padding-bottom:8px">${t(text)}</div>`;
}

function sectionHtml(section: NoticeSection, colours: BannerColours): string {
  switch (section.kind) {
    case 'facts':
      return `${heading(section.heading)}<table ${TABLE} style="${FONT};font-size:13px;line-height:19px;color:${INK};border-collapse:collapse">${section.facts.map(factRow).join('')}</table>`;
    case 'chart':
      return heading(section.heading) + chartHtml(section.chart, colours);
    case 'records':
      return heading(section.heading) + section.records.map(recordHtml).join('');
    case 'table': {
      const cell = (tag: 'th' | 'td', text: string) =>
        `<${tag} align="left" style="padding:4px 8px;border-bottom:1px solid ${RULE_LINE};${tag === 'th' ? `color:${MUTED};font-weight:600;` : ''}word-break:break-word">${t(text)}</${tag}>`;
      const head = `<tr>${section.headings.map((h) => cell('th', h)).join('')}</tr>`;
      const rows = section.rows.map(
        (row) => `<tr>${section.headings.map((_, i) => cell('td', row[i] ?? '')).join('')}</tr>`,
      );
      return `${heading(section.heading)}<table ${TABLE} style="${FONT};font-size:13px;line-height:18px;color:${INK};border-collapse:collapse">${head}${rows.join('')}</table>`;
    }
    case 'list':
      return `${heading(section.heading)}<ul style="margin:0;padding:0 0 0 20px;${FONT};font-size:13px;line-height:19px;color:${INK}">${section.items
        .map((item) => `<li style="margin:0 0 6px;word-break:break-word">${t(item)}</li>`)
        .join('')}</ul>`;
    case 'notes':
      return section.lines
        .map((note) => `<p style="margin:0 0 6px;font-size:13px;line-height:19px;color:${MUTED}">${t(note)}</p>`)
        .join('');
    default:
      return '';
  }
}

function factRow(fact: NoticeFact): string {
  const value =
    fact.code === true
      ? `<div style="${MONO};font-size:12px;line-height:17px;background:${PAGE};padding:6px 8px;border-radius:3px">${codeLines(
          fact.value,
        )
          .map((l) => escapeHtml(l).replace(/ {2}/g, ' &nbsp;'))
          .join('<br>')}</div>`
      : t(fact.value);
  const cell = `padding:5px 0;border-top:1px solid ${RULE_LINE};vertical-align:top`;
  // A unit left alone on a label's second line (`24` / `h`) reads as a typo; it keeps its number.
  const label = t(fact.label).replace(/ (\S{1,2})$/, '&nbsp;$1');
  return `<tr><td valign="top" width="130" style="${cell};padding-right:12px;color:${MUTED}">${label}</td><td style="${cell};word-break:break-word">${value}</td></tr>`;
}

function recordHtml(record: NoticeRecord): string {
  const link =
    record.link === undefined
      ? ''
      : ` &nbsp;&middot;&nbsp; ${anchor(record.link, `color:${LINK};text-decoration:underline`)}`;
  const fields = record.fields
    .map(
      ([name, value]) =>
        `<tr><td valign="top" width="34%" style="padding:3px 10px;color:${MUTED};word-break:break-word">${t(name)}</td><td style="padding:3px 10px;word-break:break-word">${t(value)}</td></tr>`,
    )
    .join('');
  return (
    `<table ${TABLE} style="${FONT};font-size:13px;line-height:18px;color:${INK};border:1px solid ${RULE_LINE};border-radius:4px;border-collapse:separate">` +
    `<tr><td colspan="2" style="padding:6px 10px;background:#faf9f8;border-bottom:1px solid ${RULE_LINE};border-radius:4px 4px 0 0"><b>${t(record.title)}</b>${link}</td></tr>` +
    `${fields}</table><div style="height:10px;line-height:10px;font-size:1px">&nbsp;</div>`
  );
}

function chartHtml(chart: NoticeChart, colours: BannerColours): string {
  const peak = Math.max(...chart.columns.map((c) => c.count), 0);
  // Gaps that keep a few wide bars from reading as one block; 60 bars at 600 px need all the width.
  const gap = chart.columns.length <= 15 ? 5 : chart.columns.length <= 30 ? 2 : 1;
  const bar = (height: number, colour: string) =>
    `<table ${TABLE}><tr><td height="${height}" bgcolor="${colour}" style="height:${height}px;background:${colour};font-size:1px;line-height:1px">&nbsp;</td></tr></table>`;
  const columns = chart.columns
    .map(({ label, count }) => {
      const height = count > 0 && peak > 0 ? Math.max(3, Math.round((count / peak) * CHART_HEIGHT)) : 1;
      return (
        `<td valign="bottom" height="${CHART_HEIGHT}" title="${t(`${label}: ${count}`)}" style="height:${CHART_HEIGHT}px;padding:0 ${gap}px;vertical-align:bottom">` +
        `${bar(height, count > 0 ? colours.background : RULE_LINE)}</td>`
      );
    })
    .join('');
  const axis = `font-size:11px;line-height:16px;color:${MUTED};padding-top:4px`;
  return (
    `<table ${TABLE} style="table-layout:fixed;border-collapse:collapse;border-bottom:1px solid ${RULE_LINE}"><tr>${columns}</tr></table>` +
    `<table ${TABLE} style="${FONT}"><tr>` +
    `<td align="left" style="${axis}">${t(chart.startLabel)}</td>` +
    `<td align="center" style="${axis}">${t(chart.caption)}</td>` +
    `<td align="right" style="${axis}">${t(chart.endLabel)}</td></tr></table>`
  );
}

function footer(notice: Notice): string {
  const lines = notice.footer
    .map((entry) => {
      const command =
        entry.command === undefined
          ? ''
          : `<div style="margin-top:3px"><code style="${MONO};font-size:12px;line-height:18px;color:${INK};background:${PAGE};padding:2px 6px;border-radius:3px">${t(entry.command)}</code></div>`;
      return `<div style="padding-bottom:6px">${t(entry.text)}${command}</div>`;
    })
    .join('');
  return block(
    `padding:16px 24px 20px;font-size:12px;line-height:18px;color:${MUTED}`,
    `<div style="border-top:1px solid ${RULE_LINE};padding-top:14px;margin-top:12px">${lines}</div>`,
  );
}
