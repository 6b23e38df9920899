// Numbers, shares and dates as the analyst's language writes them; dates in the site's time zone,
// which is the zone the API's periods and buckets are in.

export const fmtNumber = (locale: string, n: number) => n.toLocaleString(locale);

export const fmtShare = (locale: string, share: number | null) =>
  share === null ? '—' : share.toLocaleString(locale, { style: 'percent', maximumFractionDigits: share < 0.1 ? 1 : 0 });

export const fmtDateTime = (locale: string, timeZone: string, iso: string) =>
  new Date(iso).toLocaleString(locale, { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

export const fmtTime = (locale: string, timeZone: string, iso: string) =>
  new Date(iso).toLocaleTimeString(locale, { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A bucket's first day (YYYY-MM-DD) as a short label. */
export function fmtBucket(locale: string, day: string, granularity: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  if (granularity === 'quarter') return `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}`;
  if (granularity === 'month') return d.toLocaleDateString(locale, { timeZone: 'UTC', month: 'short', year: '2-digit' });
  return d.toLocaleDateString(locale, { timeZone: 'UTC', day: 'numeric', month: 'short' });
}

/** Today's date in a time zone, as YYYY-MM-DD. */
export const todayIn = (timeZone: string) => new Date().toLocaleDateString('en-CA', { timeZone });

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
