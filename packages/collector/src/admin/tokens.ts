import { createHash, timingSafeEqual } from 'node:crypto';
import { customAlphabet } from 'nanoid';

// Lower-case letters and digits: safe in URLs, HTML attributes and shell arguments alike.
const alnum = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz');

/** Public site key of the script tag. 16 characters ≈ 82 bits: not guessable, but not secret either. */
export const newSiteKey = () => alnum(16);
/** Channel id for webhook URLs. */
export const newChannelId = () => alnum(16);
/** A secret (API key, admin token, webhook secret): 32 characters ≈ 165 bits. */
export const newSecret = (prefix = '') => prefix + alnum(32);

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Equality that takes the same time whatever the inputs. Both sides are hashed first so that
 * strings of different lengths need no early exit (timingSafeEqual throws on unequal lengths).
 */
export function safeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
