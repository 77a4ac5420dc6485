import type { NoticeBanner, NoticeState } from './notice';

/** Banner colours: background and the text on it. */
export interface BannerColours {
  readonly background: string;
  readonly text: string;
}

/**
 * The colours Azure Monitor shows its severities in (its alert list's icons, in Fluent's palette):
 * Sev0 red, Sev1 orange, Sev2 yellow, Sev3 blue, Sev4 purple. Text on each is white, except on yellow,
 * where white fails contrast.
 */
const CRITICAL_COLOURS: BannerColours = { background: '#c50f1f', text: '#ffffff' };
const SEVERITY_COLOURS: readonly BannerColours[] = [
  CRITICAL_COLOURS,
  { background: '#da3b01', text: '#ffffff' },
  { background: '#ffb900', text: '#201f1e' },
  { background: '#0078d4', text: '#ffffff' },
  { background: '#8764b8', text: '#ffffff' },
];
/** RESOLVED is green whatever the severity, as in Azure Monitor and Grafana. */
const RESOLVED_COLOURS: BannerColours = { background: '#107c10', text: '#ffffff' };
/** Fluent's neutral grey: for what reports rather than alarms (the health digest), and unknown severities. */
const NEUTRAL_COLOURS: BannerColours = { background: '#605e5c', text: '#ffffff' };
const TONE_COLOURS: Readonly<Record<NoticeBanner['tone'], BannerColours>> = {
  critical: CRITICAL_COLOURS,
  resolved: RESOLVED_COLOURS,
  neutral: NEUTRAL_COLOURS,
};

/** A banner's own tone wins over the state and severity. */
export function bannerColours(state: NoticeState, severity: number, tone?: NoticeBanner['tone']): BannerColours {
  if (tone !== undefined) return TONE_COLOURS[tone];
  if (state === 'RESOLVED') return RESOLVED_COLOURS;
  return SEVERITY_COLOURS[severity] ?? NEUTRAL_COLOURS;
}

// NOTE: inline styles only. Gmail and Outlook drop or rewrite <style> blocks, and Outlook's Word engine
// does not carry fonts into nested tables, so each table names its font.
export const FONT = "font-family:'Segoe UI',-apple-system,Helvetica,Arial,sans-serif";
export const MONO = 'font-family:Consolas,Menlo,Monaco,monospace';
export const INK = '#201f1e';
export const MUTED = '#605e5c';
export const RULE_LINE = '#e1dfdd';
export const PAGE = '#f3f2f1';
export const LINK = '#0f6cbd';
export const WIDTH = 640;
