import { addDays, addMonths, dayNumber, daysBetween } from '../period.ts';

export const GRANULARITIES = ['day', 'week', 'month', 'quarter'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** The first day of the bucket a local day falls in, as PostgreSQL's date_trunc names it (weeks start on Monday). */
export function bucketOf(date: string, g: Granularity): string {
  switch (g) {
    case 'day':
      return date;
    case 'week':
      // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday.
      return addDays(date, -((dayNumber(date) + 3) % 7));
    case 'month':
      return date.slice(0, 8) + '01';
    case 'quarter': {
      const m = +date.slice(5, 7);
      return `${date.slice(0, 5)}${String(m - ((m - 1) % 3)).padStart(2, '0')}-01`;
    }
  }
}

export function nextBucket(start: string, g: Granularity): string {
  return g === 'day' ? addDays(start, 1) : g === 'week' ? addDays(start, 7) : addMonths(start, g === 'month' ? 1 : 3);
}

/** Every bucket a period touches, in order, including partial ones at either end. */
export function bucketsOf(fromDate: string, toDate: string, g: Granularity): string[] {
  const out: string[] = [];
  for (let b = bucketOf(fromDate, g); b <= toDate; b = nextBucket(b, g)) out.push(b);
  return out;
}

export const COMPARISONS = ['previous', 'year'] as const;
export type Comparison = (typeof COMPARISONS)[number];

/**
 * The period compared with, in local days. `year`: the same days a year earlier. `previous`: the
 * same number of whole months (or quarters) just before when the period is made of them, so
 * that January–March compares with October–December; else the same number of days just before.
 */
export function comparisonPeriod(fromDate: string, toDate: string, g: Granularity, compare: Comparison): { fromDate: string; toDate: string } {
  if (compare === 'year') return { fromDate: addMonths(fromDate, -12), toDate: addMonths(toDate, -12) };
  const wholeMonths = (g === 'month' || g === 'quarter') && bucketOf(fromDate, g) === fromDate && nextBucket(bucketOf(toDate, g), g) === addDays(toDate, 1);
  if (wholeMonths) {
    const months = (+toDate.slice(0, 4) - +fromDate.slice(0, 4)) * 12 + (+toDate.slice(5, 7) - +fromDate.slice(5, 7)) + 1;
    return { fromDate: addMonths(fromDate, -months), toDate: addDays(fromDate, -1) };
  }
  const days = daysBetween(fromDate, toDate) + 1;
  return { fromDate: addDays(fromDate, -days), toDate: addDays(fromDate, -1) };
}
