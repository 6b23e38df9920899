import { tagHref, tagged, type ChatTarget, type TagOptions } from '../../shared/src/links.ts';
import { safe } from './boundary.ts';

// On every link looked at: [its original href, the href it was given, where it goes]. Tagging
// always starts from the original, so a new code or new settings re-tag cleanly instead of adding
// a second code; and an href other than the one we gave means the page changed it: that is the
// new original. A symbol-keyed property rather than a WeakMap, which costs more per link; the
// page never sees it (no name to collide with, skipped by for…in and JSON).
const SEEN = Symbol();
type Seen = [original: string, now: string, target?: ChatTarget];

// false when the visitor opted out: links go back to their originals.
let options: TagOptions | false;
// Whether to tag every link now, or only the one being clicked (until the settings are known).
let eager: unknown;

// Every form tagHref accepts has one of these in its href (the hosts and schemes only occur in
// this spelling, any case), and so has every link we tagged: most links on a page are the site's
// own, and this settles them for almost nothing. (The same as a selector, with the "i" flag,
// costs the browser more than this does.)
const MAYBE_CHAT = /wa\.me|whatsapp|t\.me|telegram|tg:/i;

/** The tagged form of a URL, or a falsy value when it is not one to tag (or tagging is off). */
export const tag = (href: string, text?: string | null): string | null | false =>
  options && ((options.text = text), tagHref(href, options));

/**
 * Tags (or restores) one link; returns [original, now, target] when it may be a messenger link
 * (the target only matters when now != original). Reads attributes only, never layout.
 */
export const tagLink = (a: Element, force?: unknown): Seen | undefined => {
  // The attribute, not the resolved .href: messenger links are absolute, and resolving
  // every link against the base URL costs more than tagging the few that matter.
  const href = a.getAttribute('href')!;
  if ((eager || force) && MAYBE_CHAT.test(href) && a instanceof HTMLAnchorElement) {
    const seen: Seen | undefined = (a as never)[SEEN];
    const original = seen?.[1] == href ? seen[0] : href;
    const t = (!a.hasAttribute('data-chatmark-ignore') && tag(original, a.getAttribute('data-chatmark-text'))) || original;
    if (t != href) a.setAttribute('href', t);
    return ((a as unknown as Record<symbol, Seen>)[SEEN] = [original, t, tagged]);
  }
};

const observer = new MutationObserver(
  safe((records: MutationRecord[]) => {
    if (eager) {
      for (const r of records) {
        // an href that changed, or the parent of added nodes
        if (r.type[0] == 'a') tagLink(r.target as Element);
        r.addedNodes.forEach(scan);
      }
      // Only our own href changes have been queued meanwhile.
      observer.takeRecords();
    }
  }),
);

const observe = (root: Node) => observer.observe(root, { childList: true, subtree: true, attributeFilter: ['href'] });

/** Tags the links of a shadow root (when tagging at once) and watches it for more; null (a closed root, or none) is skipped. */
export const watch = (root: ShadowRoot | null): void => {
  if (root) {
    if (eager) scan(root);
    observe(root);
  }
};

// A MutationObserver does not see into shadow trees, so each open root is watched on its own:
// a pass over the elements finds those that host one (a TreeWalker is the cheapest way to visit
// them all; text nodes are skipped). Then the links.
const scan = (e: Node & Partial<Pick<Element, 'querySelectorAll' | 'getAttribute'>>) => {
  if (e.querySelectorAll) {
    const walker = document.createTreeWalker(e, 1);
    for (let h: Node | null = e, r; h; h = walker.nextNode()) if ((r = (h as Element).shadowRoot)) watch(r);
    // the node itself, unless a document or shadow root
    if (e.getAttribute) tagLink(e as Element);
    for (const a of e.querySelectorAll('a[href]')) tagLink(a);
  }
};

/** New options (a code, settings, or false to restore); `now` re-tags every link at once. */
export const retag = (o: TagOptions | false, now: unknown): void => {
  options = o;
  eager = now;
  if (now) {
    scan(document);
    // What is queued now is our own href changes (the scan just saw everything else):
    // handing them to the callback would tag every link a second time.
    observer.takeRecords();
  }
  // Watched from the first call on, after the first scan: tagging on load queues no records.
  observe(document);
};
