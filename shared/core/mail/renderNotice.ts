import type { Notice } from './notice';
import { renderNoticeHtml } from './renderNoticeHtml';
import { renderNoticeText } from './renderNoticeText';

export type {
  Notice,
  NoticeBanner,
  NoticeChart,
  NoticeFact,
  NoticeFooterLine,
  NoticeLink,
  NoticeRecord,
  NoticeSection,
  NoticeState,
} from './notice';

/**
 * Renders a notice (FIRING, RESOLVED) as the two parts of its e-mail: plain text and HTML with the same
 * content. Pure. Safe with any strings: each is escaped in the HTML and kept to one line in the text,
 * and only portal links that pass `isPortalHref` become links.
 */
export function renderNotice(notice: Notice): { readonly text: string; readonly html: string } {
  return { text: renderNoticeText(notice), html: renderNoticeHtml(notice) };
}
