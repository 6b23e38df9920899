import type { Hit, HitAnswer } from '../../shared/src/hit.ts';
import { safe } from './boundary.ts';

/**
 * Sends hits to the collector as text/plain JSON: a "simple" cross-origin request, so no CORS
 * preflight (and a cross-origin fetch sends no cookies by default). A page view goes by fetch so that its answer can be read; other
 * hits by sendBeacon, which outlives the page, or fetch(keepalive) when the beacon is refused.
 * A send that fails (network error, 5xx) is tried once more just before the next hit; a 4xx is
 * the collector refusing the hit, and trying again would not help.
 */
export const transport = (url: URL, onAnswer: (a: HitAnswer, h: Hit) => void) => {
  const failed: Hit[] = [];
  const send = (h: Hit, again?: unknown): void => {
    if (!again) failed.splice(0).forEach((x) => send(x, 1));
    const body = JSON.stringify(h);
    const pv = h.t == 'pv';
    if (pv || !navigator.sendBeacon(url, body))
      fetch(url, { method: 'POST', body, keepalive: true })
        .then((r) => {
          if (r.status > 499) throw 0;
          return pv && r.status == 200 && r.json();
        })
        .then(
          safe((a: HitAnswer) => a && onAnswer(a, h)),
          () => again || failed.push(h),
        );
  };
  return send;
};
