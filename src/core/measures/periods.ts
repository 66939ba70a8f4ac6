/**
 * Reporting periods of measure data. A value is stored under the first day of its period:
 * - weekly: the Monday of the ISO week;
 * - monthly: the first of the month (`YYYY-MM` is accepted as input);
 * - term: any date (the term's first day; terms differ between schools, so no calendar is assumed).
 *
 * Dates are calendar dates (`YYYY-MM-DD`), computed in UTC so that no time zone shifts a day.
 */

export const FREQUENCIES = ['weekly', 'monthly', 'term'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export type PeriodResult = { ok: true; period: string } | { ok: false; message: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const DAY_MS = 86_400_000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 'YYYY-MM-DD' of a UTC date. */
export const isoDate = (date: Date): string =>
  `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;

/** The UTC midnight of a 'YYYY-MM-DD' that is a real calendar date, else undefined. */
export function parseIsoDate(text: string): Date | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return undefined;
  }
  return date;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * The stored period start for an input date, or why it is refused. A date inside a period is
 * refused rather than silently moved: a team typing the 3rd of a month probably meant something
 * else, so the message names the period start it would belong to.
 *
 * @example normalisePeriod('monthly', '2026-09') → { ok: true, period: '2026-09-01' }
 * @example normalisePeriod('weekly', '2026-09-09') → refused: "… the Monday 2026-09-07"
 */
export function normalisePeriod(frequency: Frequency, input: string): PeriodResult {
  const text = input.trim();
  if (frequency === 'monthly') {
    const month = MONTH.exec(text);
    if (month) {
      const m = Number(month[2]);
      if (m >= 1 && m <= 12) return { ok: true, period: `${month[1]}-${month[2]}-01` };
      return { ok: false, message: `"${text}" is not a month (use YYYY-MM or YYYY-MM-01)` };
    }
  }
  const date = parseIsoDate(text);
  if (!date) {
    return {
      ok: false,
      message:
        frequency === 'monthly'
          ? `"${text}" is not a month (use YYYY-MM or YYYY-MM-01)`
          : `"${text}" is not a date (use YYYY-MM-DD)`,
    };
  }
  if (frequency === 'monthly' && date.getUTCDate() !== 1) {
    return {
      ok: false,
      message: `a monthly measure is recorded under the first of the month: use ${text.slice(0, 7)} or ${text.slice(0, 7)}-01, not ${text}`,
    };
  }
  if (frequency === 'weekly' && date.getUTCDay() !== 1) {
    const monday = isoDate(startOfWeek(date));
    return {
      ok: false,
      message: `a weekly measure is recorded under the Monday of the week: ${text} is a ${WEEKDAYS[date.getUTCDay()]}, its week starts on ${monday}`,
    };
  }
  return { ok: true, period: isoDate(date) };
}

function startOfWeek(date: Date): Date {
  const offset = (date.getUTCDay() + 6) % 7; // days since Monday
  return new Date(date.getTime() - offset * DAY_MS);
}

/** The start of the period containing `date` (term: the date itself). */
export function periodContaining(frequency: Frequency, date: string): string {
  const d = parseIsoDate(date);
  if (!d) throw new Error(`not a date: ${date}`);
  if (frequency === 'weekly') return isoDate(startOfWeek(d));
  if (frequency === 'monthly') return `${date.slice(0, 7)}-01`;
  return date;
}

/** The period after `period` (weekly, monthly). */
export function nextPeriod(frequency: 'weekly' | 'monthly', period: string): string {
  const d = parseIsoDate(period) as Date;
  if (frequency === 'weekly') return isoDate(new Date(d.getTime() + 7 * DAY_MS));
  return isoDate(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)));
}

/** The period before `period` (weekly, monthly). */
export function previousPeriod(frequency: 'weekly' | 'monthly', period: string): string {
  const d = parseIsoDate(period) as Date;
  if (frequency === 'weekly') return isoDate(new Date(d.getTime() - 7 * DAY_MS));
  return isoDate(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)));
}

/**
 * Every period from `first` to `last` inclusive, both period starts. Terms have no calendar, so
 * for them only the given periods exist: pass them as `known`.
 *
 * @example periodsBetween('monthly', '2026-01-01', '2026-03-01') → ['2026-01-01', '2026-02-01', '2026-03-01']
 */
export function periodsBetween(frequency: Frequency, first: string, last: string): string[] {
  if (frequency === 'term') return first === last ? [first] : [first, last];
  const periods: string[] = [];
  for (let p = first; p <= last; p = nextPeriod(frequency, p)) periods.push(p);
  return periods;
}

/** The last `count` periods up to and including the one containing `today` (not for terms). */
export function lastPeriods(
  frequency: 'weekly' | 'monthly',
  today: string,
  count: number,
): string[] {
  const periods: string[] = [periodContaining(frequency, today)];
  while (periods.length < count) periods.unshift(previousPeriod(frequency, periods[0] as string));
  return periods;
}

/** A point label for charts: '2026-09' for monthly data, the ISO date otherwise. */
export const periodLabel = (frequency: Frequency, period: string): string =>
  frequency === 'monthly' ? period.slice(0, 7) : period;
