import { type AlertEmail, LEDGER_KEY_HEADER } from '../mail/alertEmail';
import type { Notice, NoticeBanner, NoticeSection } from '../mail/notice';
import { renderNotice } from '../mail/renderNotice';

/**
 * What a health e-mail says, in the notice layout the alert e-mails share: a banner of its own
 * (`EXPORT STOPPED`), a title, one sentence of why, sections, a footer. Strings are plain text; the
 * notice renderer escapes them. A health e-mail has no links: nothing in it comes from a rule's
 * resource, and names from storage must not become link targets.
 */
export interface HealthBody {
  readonly banner: NoticeBanner;
  readonly title: string;
  /** Under the title, e.g. the one export the e-mail is about. */
  readonly subtitle?: string;
  readonly why: string;
  readonly sections: readonly NoticeSection[];
  readonly footer: readonly string[];
}

/** Who gets a health e-mail, from whom, the ledger key it is filed under, and the zone of its times. */
export interface HealthMailContext {
  readonly from: string;
  readonly to: readonly string[];
  readonly ledgerKey: string;
  readonly now: number;
  /** ALERT_TIME_ZONE: the health e-mails write times as the alert e-mails do; UTC when not given. */
  readonly timeZone?: string;
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
  return renderNotice(noticeOf(body));
}

/**
 * The notice of a body. State and severity only file it (the banner replaces them): a stop reads as
 * a Sev0 firing, a resumption as resolved, a digest as informational.
 */
function noticeOf(body: HealthBody): Notice {
  const { tone } = body.banner;
  return {
    state: tone === 'resolved' ? 'RESOLVED' : 'FIRING',
    severity: tone === 'neutral' ? 3 : 0,
    banner: body.banner,
    title: body.title,
    ...(body.subtitle === undefined ? {} : { subtitle: body.subtitle }),
    why: body.why,
    links: [],
    sections: body.sections,
    footer: body.footer.map((text) => ({ text })),
  };
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
