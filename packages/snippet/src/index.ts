// The browser snippet. Shared code is imported file by file, not through @chatmark/shared's
// index, so that only what the snippet uses is bundled.
import type { Hit, HitAnswer } from '../../shared/src/hit.ts';
import { tagged } from '../../shared/src/links.ts';
import { safe } from './boundary.ts';
import { tagOptions } from './options.ts';
import { rollSession } from './session.ts';
import { load, save, type State } from './state.ts';
import { retag, tag, tagLink, watch } from './tagger.ts';
import { transport } from './transport.ts';

interface Chatmark {
  code(): string;
  optOut(): void;
  track(name: string, props?: Hit['p']): void;
}

interface UAData {
  getHighEntropyValues(hints: string[]): Promise<{ platform: string; platformVersion?: string; model?: string; mobile: boolean }>;
}

// Declared on the browser's own types rather than reached through typed aliases of window and
// navigator: an alias is a variable the minified snippet has to carry.
declare global {
  interface Window {
    chatmark?: Chatmark;
  }
  interface Navigator {
    globalPrivacyControl?: boolean;
    userAgentData?: UAData;
  }
}

const start = () => {
  const script = document.currentScript as HTMLScriptElement;
  const attrs = script.dataset;
  const key = 'chatmark' + attrs.site;
  let s = load(key, {});
  let off = s.o || ('respectDnt' in attrs && (navigator.doNotTrack == '1' || navigator.globalPrivacyControl));
  let path: string;
  let applied: string;
  // what the browser says about itself (below), sent with every hit
  let fields: Partial<Hit>;

  // Links are tagged as they appear only once the site's settings are known (cached from an
  // earlier page, or answered). Before that, on a visitor's very first page, a link gets its
  // code when it is clicked: tagging all at once with the defaults would write codes into links
  // to numbers that are not the site's, in a language that may not be its own. Re-tagging only
  // when something changed spares a second pass over every link when the answer repeats the
  // cached settings.
  const apply = () => {
    if (applied != (applied = JSON.stringify([s.c, s.s, off]))) retag(!off && tagOptions(s.c!, attrs, s.s), s.s || off);
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

  // What every hit says about the browser, read after the first frame: innerWidth/innerHeight
  // compute a layout when the page has changed since the last one (on desktop too, Chromium
  // traces show it), and right after a frame there is nothing left to compute. A page opened in
  // a background tab or prerendered therefore sends its page view when it is first shown. UA
  // client hints come where the browser has them (Chromium, secure pages): the user agent string
  // says "Windows NT 10.0" for Windows 11 and "Android 10; K" for every Android phone;
  // platformVersion and model tell them apart. Hits wait for them.
  const ready = new Promise((frame) => requestAnimationFrame(() => setTimeout(frame))).then(
    safe(() => {
      fields = {
        sw: screen.width,
        sh: screen.height,
        dpr: devicePixelRatio,
        vw: innerWidth,
        vh: innerHeight,
        la: navigator.language,
        tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
      };
      return navigator.userAgentData
        ?.getHighEntropyValues(['platformVersion', 'model'])
        .then((x) => (fields.ch = { p: x.platform, pv: x.platformVersion, m: x.model, mo: x.mobile }), () => 0);
    }),
  );
  const emit = (t: Hit['t'], x?: Partial<Hit> | null) =>
    ready.then(
      safe(() => {
        if (!off) {
          s.t = Date.now();
          save(key, s);
          send({ ...fields, k: attrs.site!, t, v: s.v!, c: s.c!, u: location.href, ti: document.title, r: s.r, l: s.l, ...x });
        }
      }),
    );

  const pageview = safe(() => {
    if (!off && path != (path = location.pathname + location.search)) {
      // Another tab may have moved the session on, or opted out, since this page loaded.
      s = load(key, s);
      off = s.o;
      rollSession(s, Date.now(), location, document.referrer);
      apply();
      emit('pv');
    }
  });

  window.chatmark = {
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
    pageview();

    // Wraps a function of the page's: `before` sees (and may change) the arguments first, inside
    // the error boundary; the page's own errors from the original stay the page's.
    const patch = <T,>(o: T, k: keyof T, before: (a: unknown[], self: unknown) => unknown) => {
      const f = o[k] as (...a: unknown[]) => unknown;
      o[k] = function (this: unknown, ...a: unknown[]) {
        safe(before)(a, this);
        return f.apply(this, a);
      } as T[keyof T];
    };

    // A shadow root attached after start-up (a component defined after this script ran, a lazy
    // widget) changes nothing in the light DOM, so it is caught where it is made, once made.
    // Open roots only: a closed one could be watched from here but never found again by a
    // scan, so its links would keep a stale code when the code or the settings change.
    patch(Element.prototype, 'attachShadow', (_, e) => setTimeout(safe(() => watch((e as Element).shadowRoot))));

    // window.open('https://wa.me/…') is tagged on the way, and is a chat click too.
    patch(window, 'open', (a) => {
      const t = tag(a[0] + '');
      if (t) {
        emit('click', tagged);
        a[0] = t;
      }
    });

    // SPA navigation: a page view a little later, because routers set document.title after they
    // push the new URL (and only if the path or query changed).
    const later = () => setTimeout(pageview, 100);
    patch(history, 'pushState', later);
    patch(history, 'replaceState', later);
    addEventListener('popstate', later);

    // Chat clicks: on tagged links (left or middle button, or the keyboard), heard in the capture
    // phase on window, so that a page handler stopping propagation cannot hide one, and never
    // cancelled nor delayed: the report goes by beacon while the browser navigates.
    const onClick = safe((e: MouseEvent) => {
      const a = e.button < 2 && (e.composedPath().find((n) => n instanceof HTMLAnchorElement) as Element | undefined);
      // Forced: until the site's settings arrive, this is where a link gets its code.
      const l = a && tagLink(a, 1);
      if (l && l[0] != l[1]) emit('click', l[2]);
    });
    addEventListener('click', onClick, true);
    addEventListener('auxclick', onClick, true);
  }
};

if (!window.chatmark) safe(start)();
