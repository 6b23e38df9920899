// The one error boundary. Every way into the snippet (start-up, observers, listeners, patched
// browser functions, promise callbacks, window.chatmark) goes through safe(), so a bug or an odd
// browser costs us a hit, never an exception, console error or unhandled rejection on the
// customer's page.
export const safe =
  <A extends unknown[], R>(f: (...a: A) => R) =>
  (...a: A): R | undefined => {
    try {
      return f(...a);
    } catch {}
  };
