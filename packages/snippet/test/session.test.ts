import { describe, expect, it } from 'vitest';
import { CLICK_ID_PARAMS, campaignKey as sharedCampaignKey } from '../../shared/src/traffic.ts';
import { isCode } from '../../shared/src/visit-code.ts';
import { SESSION_TIMEOUT, campaignKey, rollSession } from '../src/session.ts';
import type { State } from '../src/state.ts';

const page = (href: string) => new URL(href);
const T0 = Date.UTC(2026, 0, 1, 12);

describe('campaignKey', () => {
  it.each([
    ['?utm_source=google&utm_medium=cpc', '?utm_source=google,&utm_medium=cpc'],
    ['?gclid=abc', '?gclid=abc'],
    ['?yclid=1&ysclid=2', '?yclid=1,&ysclid=2'],
    ['?msclkid=1', '?msclkid=1'],
    ['?rb_clickid=1', '?rb_clickid=1'],
    ['?gad_source=1', '?gad_source=1'],
    ['?page=2&utm_campaign=spring', '&utm_campaign=spring'],
    ['', ''],
    ['?page=2&sort=price', ''],
  ])('%s → %s', (search, key) => expect(campaignKey(search)).toBe(key));

  it('covers every click id the collector knows (shared/traffic.ts)', () => {
    const missing = CLICK_ID_PARAMS.filter((name) => !campaignKey(`?${name}=x`));
    expect(missing).toEqual([]);
  });

  it('agrees with the collector on whether a landing carries a campaign', () => {
    for (const name of [...CLICK_ID_PARAMS, 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'utm_id']) {
      const url = `https://shop.example/?${name}=x`;
      expect(!!campaignKey(new URL(url).search), name).toBe(!!sharedCampaignKey(url));
    }
  });

  it('leaves ordinary site parameters alone, so internal links never split a session', () => {
    for (const name of ['docid', 'include_id', 'product_id', 'cid', 'id', 'click', 'utm', 'q', 'search', 'glid', 'client_id'])
      expect(campaignKey(`?${name}=7`), name).toBe('');
  });
});

describe('rollSession', () => {
  it('starts the first session with a code, the landing, the referrer and a visitor id', () => {
    const s: State = {};
    rollSession(s, T0, page('https://shop.example/a?utm_source=vk'), 'https://vk.com/');
    expect(isCode(s.c!)).toBe(true);
    expect(s).toMatchObject({ t: T0, l: 'https://shop.example/a?utm_source=vk', r: 'https://vk.com/', k: '?utm_source=vk' });
    // 4 codes × 30 random bits: at least 96 bits as the issue asks
    expect(s.v).toMatch(/^[0-9A-Z]{32}$/);
  });

  it('keeps the session on the next page within 30 minutes of the last hit, and moves the clock on', () => {
    const s: State = {};
    rollSession(s, T0, page('https://shop.example/?gclid=1'), 'https://google.com/');
    const before = { ...s };
    rollSession(s, T0 + SESSION_TIMEOUT, page('https://shop.example/catalog'), 'https://shop.example/?gclid=1');
    expect(s).toEqual({ ...before, t: T0 + SESSION_TIMEOUT });
  });

  it('keeps the session on a reload of the same campaign landing', () => {
    const s: State = {};
    rollSession(s, T0, page('https://shop.example/?utm_source=a'), '');
    const code = s.c;
    rollSession(s, T0 + 60e3, page('https://shop.example/?utm_source=a'), '');
    expect(s.c).toBe(code);
  });

  it('starts a new session after 30 minutes without hits, keeping the visitor', () => {
    const s: State = {};
    rollSession(s, T0, page('https://shop.example/'), '');
    const { c, v } = s;
    rollSession(s, T0 + SESSION_TIMEOUT + 1, page('https://shop.example/b'), 'https://ya.ru/');
    expect(s.c).not.toBe(c);
    expect(s.v).toBe(v);
    expect(s).toMatchObject({ l: 'https://shop.example/b', r: 'https://ya.ru/', k: '' });
  });

  it('starts a new session when other campaign parameters arrive, but not when they go away', () => {
    const s: State = {};
    rollSession(s, T0, page('https://shop.example/?utm_source=a'), '');
    const first = s.c;
    rollSession(s, T0 + 1000, page('https://shop.example/x'), '');
    expect(s.c).toBe(first);
    rollSession(s, T0 + 2000, page('https://shop.example/?utm_source=b'), '');
    expect(s.c).not.toBe(first);
    expect(s.l).toBe('https://shop.example/?utm_source=b');
  });

  it('starts a session when the stored one has no code (e.g. after an opt-out was lifted by hand)', () => {
    const s: State = { v: 'V', t: T0 };
    rollSession(s, T0 + 1, page('https://shop.example/'), '');
    expect(isCode(s.c!)).toBe(true);
    expect(s.v).toBe('V');
  });
});
