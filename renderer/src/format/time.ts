/**
 * Dates and times as a messenger shows them, in the user's locale and local time zone.
 * `now` is a parameter everywhere so the rules are testable and a list renders with one
 * consistent "today".
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are costly to build and a list formats hundreds of times. */
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, cached);
  }
  return cached;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Midnight (local time) of the day containing `ms`. */
export function startOfDay(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Whole calendar days between two instants in local time (DST-safe). */
function calendarDaysBetween(earlier: number, later: number): number {
  return Math.round((startOfDay(later) - startOfDay(earlier)) / DAY_MS);
}

/** A stable key for the local calendar day of `ms`, e.g. `2024-03-05`. */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  const month = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${month}-${day}`;
}

/** Hours and minutes, as the locale writes them (14:05, or 2:05 PM). */
export function formatClockTime(ms: number, locale: string): string {
  return formatter(locale, { timeStyle: 'short' }).format(ms);
}

/**
 * The chat list's timestamp: the time for today, the weekday within the last week, the
 * day and month within this year, else a short full date.
 */
export function formatChatListTime(ms: number, now: number, locale: string): string {
  const days = calendarDaysBetween(ms, now);
  if (days <= 0) return formatClockTime(ms, locale);
  if (days < 7) return formatter(locale, { weekday: 'short' }).format(ms);
  if (new Date(ms).getFullYear() === new Date(now).getFullYear()) {
    return formatter(locale, { day: 'numeric', month: 'short' }).format(ms);
  }
  return formatter(locale, { dateStyle: 'short' }).format(ms);
}

export interface RelativeDayLabels {
  today: string;
  yesterday: string;
}

/** The label of a day separator in a conversation: Today, Yesterday, March 5, March 5, 2023. */
export function formatDayLabel(ms: number, now: number, locale: string, labels: RelativeDayLabels): string {
  const days = calendarDaysBetween(ms, now);
  if (days === 0) return labels.today;
  if (days === 1) return labels.yesterday;
  if (new Date(ms).getFullYear() === new Date(now).getFullYear()) {
    return formatter(locale, { day: 'numeric', month: 'long' }).format(ms);
  }
  return formatter(locale, { day: 'numeric', month: 'long', year: 'numeric' }).format(ms);
}
