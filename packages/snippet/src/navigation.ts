/**
 * Calls `onNavigate` when the history API or back/forward moves a single-page app, a little
 * later because routers set document.title after they push the new URL.
 */
export function watchNavigation(onNavigate: () => void): void {
  const later = () => setTimeout(onNavigate, 100);
  for (const k of ['pushState', 'replaceState'] as const) {
    const f = history[k];
    history[k] = function (this: History, ...a: Parameters<History['pushState']>) {
      // The page's own errors (an uncloneable state, a cross-origin URL) stay the page's.
      const r = f.apply(this, a);
      later();
      return r;
    };
  }
  addEventListener('popstate', later);
}
