import type { Hit } from '../../shared/src/hit.ts';
import { safe } from './boundary.ts';

interface UAData {
  getHighEntropyValues(hints: string[]): Promise<{ platform: string; platformVersion?: string; model?: string; mobile: boolean }>;
}

/**
 * Adds what every hit says about the browser to `hit`; resolves (never rejects) when done, and
 * hits wait for it.
 *
 * Read after the first frame: innerWidth/innerHeight compute a layout when the page has changed
 * since the last one (on desktop too, Chromium traces show it), and right after a frame there is
 * nothing left to compute. A page opened in a background tab or prerendered therefore sends its
 * page view when it is first shown. UA client hints come where the browser has them (Chromium,
 * secure pages): the user agent string says "Windows NT 10.0" for Windows 11 and "Android 10; K"
 * for every Android phone; platformVersion and model tell them apart.
 */
export const device = (hit: Partial<Hit>): Promise<unknown> =>
  new Promise((frame) => requestAnimationFrame(() => setTimeout(frame))).then(
    safe(() => {
      hit.sw = screen.width;
      hit.sh = screen.height;
      hit.dpr = devicePixelRatio;
      hit.vw = innerWidth;
      hit.vh = innerHeight;
      hit.la = navigator.language;
      hit.tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
      return (navigator as { userAgentData?: UAData }).userAgentData
        ?.getHighEntropyValues(['platformVersion', 'model'])
        .then((x) => (hit.ch = { p: x.platform, pv: x.platformVersion, m: x.model, mo: x.mobile }), () => 0);
    }),
  );
