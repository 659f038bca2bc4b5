// Times as people read them: "3분 전" / "3 min ago" for recent ones, a date without seconds after a week.
import type { TFunction } from 'i18next';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const locale = (lang: string) => (lang === 'en' ? 'en-US' : 'ko-KR');

export function relativeTime(iso: string, t: TFunction, lang: string, now = Date.now()): string {
  const then = Date.parse(iso);
  const ago = now - then;
  if (ago < MINUTE) return t('time.justNow');
  if (ago < HOUR) return t('time.minutesAgo', { count: Math.floor(ago / MINUTE) });
  if (ago < DAY) return t('time.hoursAgo', { count: Math.floor(ago / HOUR) });
  if (ago < 7 * DAY) return t('time.daysAgo', { count: Math.floor(ago / DAY) });
  return formatDate(iso, lang, now);
}

/** "5월 3일" / "May 3" (with the year when it is not this year). */
export function formatDate(iso: string, lang: string, now = Date.now()): string {
  const d = new Date(iso);
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return d.toLocaleDateString(locale(lang), { year: sameYear ? undefined : 'numeric', month: 'short', day: 'numeric' });
}

/** "5월 3일 오후 2:05" / "May 3, 2:05 PM": never seconds. */
export function formatDateTime(iso: string, lang: string): string {
  return new Date(iso).toLocaleString(locale(lang), { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

/** "오후 2:05" / "2:05 PM". */
export function formatTime(iso: string, lang: string): string {
  return new Date(iso).toLocaleTimeString(locale(lang), { hour: 'numeric', minute: '2-digit' });
}
