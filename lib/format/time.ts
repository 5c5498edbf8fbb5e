import type { Lang, Translate } from '../i18n';

/** "1日 2時間 3分" / "2h 5m" / "4m 10s" for a duration in ms (sign ignored). */
export function formatDuration(ms: number, t: Translate): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3_600);
  const m = Math.floor((total % 3_600) / 60);
  const s = total % 60;
  if (d > 0) return t('duration.dhm', { d, h, m });
  if (h > 0) return t('duration.hm', { h, m });
  return t('duration.ms', { m, s });
}

// One formatter per language: building an Intl.DateTimeFormat costs far more than formatting with
// it, and the review page formats thousands of instants per render.
const dateTimeFormats = new Map<Lang, Intl.DateTimeFormat>();

/** A deadline in the user's local time zone, e.g. "12/28(月) 10:00" or "Mon, Dec 28, 10:00". */
export function formatDateTime(at: Date, lang: Lang): string {
  let format = dateTimeFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-US', { month: 'numeric', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit' });
    dateTimeFormats.set(lang, format);
  }
  return format.format(at);
}
