/**
 * Helpers for the idempotency keys of sends: `(room, session, cid)`, or
 * `(room, cid)` for anonymous sends, remembered for at least `LIMITS.cidTtlMs`.
 */
import { ProtocolError } from '../../protocol/index.js';

/** Session part of a key for an anonymous send; SESSION_RE never matches it. */
export const NO_SESSION = '';

/** One string key for in-memory maps; NUL cannot occur in rooms, sessions or cids. */
export function idempotencyKey(room: string, session: string | undefined, cid: string): string {
  return room + '\u0000' + (session ?? NO_SESSION) + '\u0000' + cid;
}

/** The error for a cid reused with another text; every store answers it alike. */
export function cidConflict(): ProtocolError {
  return new ProtocolError('conflict', 'this cid was already used with another text');
}

/**
 * A 53-bit hash of a text (cyrb53), small enough for an SQLite INTEGER and
 * computed without allocating. It is not cryptographic: it only tells an honest
 * retry (same text) from a reuse of the sender's own key with another text, and
 * a collision there merely answers `duplicate` to the sender who chose the key.
 */
export function textHash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
