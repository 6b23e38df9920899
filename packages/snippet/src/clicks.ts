import { chatTarget, type ChatTarget } from '../../shared/src/links.ts';
import { safe } from './boundary.ts';
import { links, tag, tagLink } from './tagger.ts';

/**
 * Reports chat clicks: on tagged links (left or middle button, or the keyboard) and
 * window.open calls to messenger URLs, which it tags on the way. Listens in the capture phase on
 * window, so a page handler that stops propagation cannot hide a click, and never cancels or
 * delays one: the report goes by beacon while the browser navigates.
 */
export function watchClicks(report: (t: ChatTarget) => void): void {
  const onClick = safe((e: MouseEvent) => {
    const a = e.button < 2 && e.composedPath().find((n) => n instanceof HTMLAnchorElement);
    if (a) {
      // Forced: until the site's settings arrive, this is where a link gets its code.
      tagLink(a, 1);
      const s = links.get(a as Element)!;
      if (s[0] != s[1]) report(chatTarget(s[0])!);
    }
  });
  addEventListener('click', onClick, true);
  addEventListener('auxclick', onClick, true);

  const open = window.open;
  window.open = function (this: Window, ...a: Parameters<typeof open>) {
    safe(() => {
      const u = a[0] + '';
      const t = tag(u);
      if (t) {
        report(chatTarget(u)!);
        a[0] = t;
      }
    })();
    return open.apply(this, a);
  };
}
