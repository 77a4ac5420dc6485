import { type AlertEmail, LEDGER_KEY_HEADER } from '../mail/alertEmail';

/**
 * The layout of the health e-mails, kept apart from what they say so it can be restyled (the alert
 * e-mails' layout is being redesigned; these will adopt it): a title, paragraphs, sections of facts
 * and lists, a footer. Text is plain; HTML is the same content with every value escaped, no links.
 */
export interface HealthBody {
  readonly title: string;
  readonly intro: readonly string[];
  readonly sections: readonly HealthSection[];
  readonly footer: readonly string[];
}

export interface HealthSection {
  readonly heading: string;
  /** Label and value pairs, shown as a two-column table. */
  readonly facts?: readonly (readonly [string, string])[];
  /** A list under its own small heading (likely causes, items). */
  readonly list?: { readonly heading?: string; readonly items: readonly string[] };
}

/** Who gets a health e-mail, from whom, and the ledger key it is filed under. */
export interface HealthMailContext {
  readonly from: string;
  readonly to: readonly string[];
  readonly ledgerKey: string;
  readonly now: number;
}

const MAX_SUBJECT_CHARS = 200;

/** The e-mail of a body, addressed and keyed like an alert's (X-Alert-Ledger-Key, custom_args). */
export function healthEmail(subject: string, body: HealthBody, context: HealthMailContext, ledger: string): AlertEmail {
  const ledgerKey = oneLine(context.ledgerKey, 1_000);
  return {
    from: oneLine(context.from, 320),
    to: context.to.map((address) => oneLine(address, 320)),
    subject: oneLine(subject, MAX_SUBJECT_CHARS),
    ...renderHealthBody(body),
    customArgs: { ledgerKey, rule: ledger },
    headers: { [LEDGER_KEY_HEADER]: ledgerKey },
  };
}

export function renderHealthBody(body: HealthBody): { text: string; html: string } {
  return { text: renderText(body), html: renderHtml(body) };
}

/**
 * One line of at most `max` characters, safe for a header (subject, address) as for the body: names
 * and errors from storage can be long or span lines. Control characters become spaces, runs of
 * spaces one, and a longer text is cut with an ellipsis.
 */
export function oneLine(text: string, max: number): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (flat.length <= max) return flat;
  // Never end on half a surrogate pair: the provider refuses text that is not well-formed.
  const end = /[\ud800-\udbff]/.test(flat.charAt(max - 2)) ? max - 2 : max - 1;
  return `${flat.slice(0, end)}…`;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function renderText(body: HealthBody): string {
  const lines: string[] = [body.title, '', ...paragraphs(body.intro)];
  for (const section of body.sections) {
    lines.push(section.heading);
    const facts = section.facts ?? [];
    const width = Math.max(0, ...facts.map(([label]) => label.length));
    for (const [label, value] of facts) lines.push(`  ${`${label}:`.padEnd(width + 1)} ${value}`);
    if (section.list) {
      if (section.list.heading !== undefined) lines.push(`  ${section.list.heading}`);
      for (const item of section.list.items) lines.push(`  - ${item}`);
    }
    lines.push('');
  }
  lines.push(...body.footer);
  return `${lines.join('\n')}\n`;
}

function paragraphs(texts: readonly string[]): string[] {
  return texts.flatMap((t) => [t, '']);
}

function renderHtml(body: HealthBody): string {
  const parts: string[] = [
    '<!DOCTYPE html><html><body style="font-family: sans-serif; font-size: 14px">',
    `<h2>${escapeHtml(body.title)}</h2>`,
    ...body.intro.map((p) => `<p>${escapeHtml(p)}</p>`),
  ];
  for (const section of body.sections) {
    parts.push(`<h3>${escapeHtml(section.heading)}</h3>`);
    if (section.facts && section.facts.length > 0) {
      parts.push('<table cellpadding="3" style="border-collapse: collapse">');
      for (const [label, value] of section.facts)
        parts.push(`<tr><th align="left" valign="top">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`);
      parts.push('</table>');
    }
    if (section.list) {
      if (section.list.heading !== undefined) parts.push(`<p>${escapeHtml(section.list.heading)}</p>`);
      parts.push(`<ul>${section.list.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`);
    }
  }
  parts.push(...body.footer.map((p) => `<p style="color: #666">${escapeHtml(p)}</p>`), '</body></html>');
  return parts.join('\n');
}
