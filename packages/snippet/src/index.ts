// The browser snippet. Shared code is imported file by file, not through @chatmark/shared's
// index, so that only what the snippet uses is bundled.
import type { Hit, HitAnswer } from '../../shared/src/hit.ts';
import { safe } from './boundary.ts';
import { watchClicks } from './clicks.ts';
import { device } from './device.ts';
import { watchNavigation } from './navigation.ts';
import { tagOptions } from './options.ts';
import { rollSession } from './session.ts';
import { load, save, type State } from './state.ts';
import { retag, watch, watchShadowRoots } from './tagger.ts';
import { transport } from './transport.ts';

interface Chatmark {
  code(): string;
  optOut(): void;
  track(name: string, props?: Hit['p']): void;
}

const w = window as { chatmark?: Chatmark };

function start() {
  const script = document.currentScript as HTMLScriptElement;
  const attrs = script.dataset;
  const key = 'chatmark' + attrs.site;
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  let s = load(key, {});
  let off = s.o || ('respectDnt' in attrs && (nav.doNotTrack == '1' || nav.globalPrivacyControl));
  let path: string;
  let applied: string;

  // Links are tagged as they appear only once the site's settings are known (cached from an
  // earlier page, or answered). Before that, on a visitor's very first page, a link gets its
  // code when it is clicked: tagging all at once with the defaults would write codes into links
  // to numbers that are not the site's, in a language that may not be its own. Re-tagging only
  // when something changed spares a second pass over every link when the answer repeats the
  // cached settings.
  const apply = () => {
    const now = JSON.stringify([s.c, s.s, off]);
    if (now != applied) retag(!off && tagOptions(s.c!, attrs, s.s), s.s || off);
    applied = now;
  };

  const send = transport(
    // The collector is wherever this script came from.
    new URL('/v1/hit', script.src),
    (a: HitAnswer, h: Hit) => {
      s.s = a.s;
      // The code we sent was already another visitor's: take the collector's.
      if (a.c && h.c == s.c) s.c = a.c;
      save(key, s);
      apply();
    },
  );
  const fields: Partial<Hit> = { k: attrs.site };
  const ready = device(fields);
  const emit = (t: Hit['t'], x?: Partial<Hit>) =>
    ready.then(
      safe(() => {
        if (!off) {
          s.t = Date.now();
          save(key, s);
          send({ ...fields, t, v: s.v!, c: s.c!, u: location.href, ti: document.title, r: s.r, l: s.l, ...x } as Hit);
        }
      }),
    );

  const pageview = () => {
    const p = location.pathname + location.search;
    if (!off && p != path) {
      path = p;
      // Another tab may have moved the session on, or opted out, since this page loaded.
      s = load(key, s);
      off = s.o;
      rollSession(s, Date.now(), location, document.referrer);
      apply();
      emit('pv');
    }
  };

  w.chatmark = {
    code: () => (off ? '' : s.c!),
    optOut: safe(() => {
      save(key, (s = { o: (off = 1) }));
      apply();
    }),
    track: safe((e: string, p?: Hit['p']) => {
      emit('event', { e, p });
    }),
  };
  if (!off) {
    watch(document);
    pageview();
    watchShadowRoots();
    watchClicks((x) => emit('click', x));
    watchNavigation(safe(pageview));
  }
}

if (!w.chatmark) safe(start)();
