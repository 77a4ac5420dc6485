/**
 * What an alert notice says, in the layout every alert e-mail shares (FIRING alerts, their summaries,
 * RESOLVED notices): a banner coloured by severity with the state, one sentence of why, links, then
 * sections. Every string is plain text: `renderNotice` escapes it; telemetry in it is attacker-controlled
 * and never becomes a link. Only `NoticeLink.href`s that pass `isPortalHref` are links.
 */
export interface Notice {
  readonly state: NoticeState;
  /**
   * Words and colour of the banner in place of `state · severity`: what a notice that is no rule's alert
   * wears (`EXPORT STOPPED`). State and severity then only file it.
   */
  readonly banner?: NoticeBanner;
  /** 0 critical … 4 verbose, as Azure Monitor numbers them. */
  readonly severity: number;
  /** The rule, e.g. `checkout-5xx`. */
  readonly title: string;
  /** Where, e.g. `shop-prod · requests · tenant=acme`. */
  readonly subtitle?: string;
  /** One sentence: `12 requests matched in 10 minutes (threshold 5) for cloud_RoleName = Contoso.Api.` */
  readonly why: string;
  /** Matches held back and not sent (throttled, muted), one line each, under the why. */
  readonly held?: readonly string[];
  /** Buttons under the why: Log Analytics, the portal. */
  readonly links: readonly NoticeLink[];
  /** Said where the links are when there is none, e.g. how to get one. */
  readonly linksNote?: string;
  readonly sections: readonly NoticeSection[];
  /** Small print: the rule, how to mute it, who sent this. */
  readonly footer: readonly NoticeFooterLine[];
}

export type NoticeState = 'FIRING' | 'RESOLVED';

export interface NoticeBanner {
  /** Upper case by convention, e.g. `EXPORT FLOWING AGAIN`. */
  readonly label: string;
  /** `critical` is Sev0's colour, `resolved` RESOLVED's, `neutral` a grey that claims no urgency. */
  readonly tone: 'critical' | 'resolved' | 'neutral';
}

export interface NoticeLink {
  readonly label: string;
  readonly href: string;
}

/** A footer line; `command` is shown monospaced after the text, to copy into a shell. */
export interface NoticeFooterLine {
  readonly text: string;
  readonly command?: string;
}

export interface NoticeFact {
  readonly label: string;
  readonly value: string;
  /** Shown monospaced with its line breaks (a query). */
  readonly code?: boolean;
}

/** One record of a list: a heading line, an optional link, and its fields. */
export interface NoticeRecord {
  readonly title: string;
  readonly link?: NoticeLink;
  readonly fields: readonly (readonly [name: string, value: string])[];
}

export interface NoticeChart {
  /** Count per column, oldest first; at most 60 columns render well at 600 px. */
  readonly columns: readonly { readonly label: string; readonly count: number }[];
  /** Under the first and the last column, e.g. `13:01 CET`, `13:10 CET`. */
  readonly startLabel: string;
  readonly endLabel: string;
  /** e.g. `peak 7 per minute`. */
  readonly caption: string;
}

export type NoticeSection =
  | { readonly kind: 'facts'; readonly heading: string; readonly facts: readonly NoticeFact[] }
  | { readonly kind: 'chart'; readonly heading: string; readonly chart: NoticeChart }
  | { readonly kind: 'records'; readonly heading: string; readonly records: readonly NoticeRecord[] }
  | {
      readonly kind: 'table';
      readonly heading: string;
      readonly headings: readonly string[];
      readonly rows: readonly (readonly string[])[];
    }
  | { readonly kind: 'list'; readonly heading: string; readonly items: readonly string[] }
  | { readonly kind: 'notes'; readonly lines: readonly string[] };

/** Azure Monitor's severity names. */
export const SEVERITY_NAMES = ['Critical', 'Error', 'Warning', 'Informational', 'Verbose'] as const;

/** The banner's first line: `FIRING · Sev1 Error`, or a banner's own label. */
export function bannerLabel(notice: Pick<Notice, 'state' | 'severity' | 'banner'>): string {
  return notice.banner?.label ?? `${notice.state} · ${severityLabel(notice.severity)}`;
}

/** `Sev1 Error`; a severity outside 0–4 (none passes rule validation) reads as its number. */
export function severityLabel(severity: number): string {
  const name = SEVERITY_NAMES[severity];
  return name === undefined ? `Sev${severity}` : `Sev${severity} ${name}`;
}
