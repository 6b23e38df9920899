import { tagHref, type TagOptions } from '../../shared/src/links.ts';
import { safe } from './boundary.ts';

// Every link looked at → [its original href, the href it was given]. Tagging always starts from
// the original, so a new code or new settings re-tag cleanly instead of adding a second code;
// and an href other than the one we gave means the page changed it: that is the new original.
export const links = new WeakMap<Element, [string, string]>();

// false when the visitor opted out: links go back to their originals.
let options: TagOptions | false;
// Whether to tag every link now, or only the one being clicked (until the settings are known).
let eager: unknown;

// Most links on a page are the site's own, often relative, and tagHref spends microseconds on
// each (a relative URL even costs it a thrown exception). A substring test settles them for
// almost nothing; it lets through every form tagHref accepts (the hosts and schemes only occur
// in that spelling, any case).
const MAYBE_CHAT = /wa\.me|whatsapp|t\.me|telegram|tg:/i;

/** The tagged form of a URL, or a falsy value when it is not one to tag (or tagging is off). */
export const tag = (href: string, text?: string): string | null | false =>
  options && MAYBE_CHAT.test(href) && ((options.text = text), tagHref(href, options));

/** Tags (or restores) one link. Reads attributes only, never layout. */
export function tagLink(a: unknown, force?: unknown): void {
  if (a instanceof HTMLAnchorElement && (eager || force)) {
    // The attribute, not the resolved .href: messenger links are absolute, and resolving
    // every link against the base URL costs more than tagging the few that matter.
    const href = a.getAttribute('href')!;
    const seen = links.get(a);
    const original = seen?.[1] == href ? seen[0] : href;
    const data = a.dataset;
    const t = ('chatmarkIgnore' in data ? 0 : tag(original, data.chatmarkText)) || original;
    if (t != href) a.setAttribute('href', t);
    links.set(a, [original, t]);
  }
}

const observer = new MutationObserver(
  safe((records: MutationRecord[]) => {
    if (eager) {
      for (const r of records) {
        // an href that changed, or (harmlessly) the parent of added nodes
        tagLink(r.target);
        r.addedNodes.forEach(scan);
      }
      // Only our own href changes have been queued meanwhile.
      observer.takeRecords();
    }
  }),
);

/** Watches a document or shadow root for new links and changed hrefs. */
export function watch(root: Document | ShadowRoot): void {
  observer.observe(root, { childList: true, subtree: true, attributeFilter: ['href'] });
  if (eager) scan(root);
}

const visit = (e: Element) => {
  if (e.shadowRoot) watch(e.shadowRoot);
  tagLink(e);
};

// One pass over the elements finds both the links and the shadow roots (a MutationObserver does
// not see into shadow trees, so each root is watched on its own). Text nodes are skipped.
function scan(n: Node) {
  const e = n as Element;
  if (e.querySelectorAll) {
    visit(e);
    e.querySelectorAll('*').forEach(visit);
  }
}

/** New options (a code, settings, or false to restore); `now` re-tags every link at once. */
export function retag(o: TagOptions | false, now: unknown): void {
  options = o;
  eager = now;
  if (now) {
    scan(document);
    // What is queued now is our own href changes (the scan just saw everything else):
    // handing them to the callback would tag every link a second time.
    observer.takeRecords();
  }
}

// A shadow root attached after start-up (a component defined after this script ran, a lazy
// widget) changes nothing in the light DOM, so it is caught where it is made. Open roots only:
// a closed one could be watched from here but never found again by scan(), so its links would
// keep a stale code when the code or the settings change.
export function watchShadowRoots(): void {
  const proto = Element.prototype;
  const attach = proto.attachShadow;
  proto.attachShadow = function (this: Element, init: ShadowRootInit) {
    // The page's own errors from attachShadow stay the page's.
    const root = attach.call(this, init);
    if (init.mode == 'open') safe(watch)(root);
    return root;
  };
}
