import { makeCode, type Hit } from '@chatmark/shared';
import { randomBytes } from 'node:crypto';

export const CHROME_WIN =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
export const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

export const newVisitor = () => randomBytes(12).toString('base64url');

/** A pageview as the snippet sends it, with overrides. */
export function pageview(siteKey: string, over: Partial<Hit> = {}): Hit {
  return {
    k: siteKey,
    t: 'pv',
    v: newVisitor(),
    c: makeCode(),
    u: 'https://shop.example.com/',
    ti: 'Shop',
    r: '',
    sw: 1920,
    sh: 1080,
    dpr: 1,
    vw: 1280,
    vh: 720,
    la: 'ru-RU',
    tz: 'Europe/Moscow',
    ...over,
  };
}
