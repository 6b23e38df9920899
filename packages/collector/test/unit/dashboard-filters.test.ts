import { describe, expect, it } from 'vitest';
import { emptyFilters, fromQuery, lastDays, toQuery } from '../../src/dashboard/client/filters.ts';

const TZ = 'Europe/Moscow';

describe('the dashboard address', () => {
  it('names the site and only what differs from the defaults', () => {
    expect(toQuery(3, emptyFilters(TZ), TZ)).toBe('site=3');
    expect(toQuery(3, { ...emptyFilters(TZ), channel: 'telegram', q: 'розы & co' }, TZ)).toBe('site=3&channel=telegram&q=%D1%80%D0%BE%D0%B7%D1%8B+%26+co');
    const week = { ...emptyFilters(TZ), ...lastDays(TZ, 7) };
    expect(new URLSearchParams(toQuery(3, week, TZ)).get('from')).toBe(week.from);
  });

  it('reads back what it wrote, over the defaults, ignoring other parameters', () => {
    const f = { ...emptyFilters(TZ), from: '2026-01-01', to: '2026-01-31', source: 'yandex', status: 'sale' };
    expect(fromQuery(toQuery(7, f, TZ), TZ)).toEqual(f);
    expect(fromQuery('?site=7&utm_source=x&toString=1&page=%2Froses', TZ)).toEqual({ ...emptyFilters(TZ), page: '/roses' });
  });
});
