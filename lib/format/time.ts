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

/**
 * `formatDateTime` with one formatter, for a view that formats many instants in one render
 * (building an Intl.DateTimeFormat costs far more than formatting with it). Make one per render:
 * the formatter keeps the time zone it was made in.
 */
export function createDateTimeFormat(lang: Lang): (at: Date) => string {
  const format = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-US', {
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (at) => format.format(at);
}

/** A deadline in the user's local time zone, e.g. "12/28(月) 10:00" or "Mon, Dec 28, 10:00". */
export function formatDateTime(at: Date, lang: Lang): string {
  return createDateTimeFormat(lang)(at);
}
