// PostgreSQL refuses a NUL in text, and jsonb an unpaired surrogate as well; one such string in
// a batch or a webhook would fail all of it, again at every retry. Visitors' pages and platforms'
// messages can carry either (JSON writes them as \u escapes), so they are replaced on the way in.
const UNSTORABLE = /\0|\p{Cs}/gu;

/**
 * The value with every string (object keys too) that PostgreSQL would refuse repaired: each NUL
 * and unpaired surrogate becomes U+FFFD, as a decoder does with bytes it cannot read. Plain
 * objects and arrays are copied; anything else (a Date, a Buffer) is kept as it is.
 */
export function storable<T>(v: T): T {
  if (typeof v === 'string') return v.replace(UNSTORABLE, '\ufffd') as T;
  if (Array.isArray(v)) return v.map(storable) as T;
  if (v && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [storable(k), storable(x)])) as T;
  }
  return v;
}
