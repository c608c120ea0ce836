import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Bearer-token check. Both sides are hashed first so that the comparison is
 * constant-time and of equal length whatever the client sends (the length
 * of the token leaks nothing either).
 */
export class TokenAuth {
  private readonly expected: Buffer | undefined;

  constructor(token: string | undefined) {
    this.expected = token === undefined || token === '' ? undefined : digest(token);
  }

  get enabled(): boolean {
    return this.expected !== undefined;
  }

  /** Whether `given` is the server token (constant time); false without one. */
  matches(given: string): boolean {
    return this.expected !== undefined && timingSafeEqual(digest(given), this.expected);
  }

  /** `Authorization: Bearer <token>` or `?token=<token>`; always true without a server token. */
  check(req: IncomingMessage, query: URLSearchParams): boolean {
    if (this.expected === undefined) return true;
    const header = req.headers.authorization;
    let given: string | null = null;
    if (header !== undefined && header.length > 7 && header.slice(0, 7).toLowerCase() === 'bearer ') {
      given = header.slice(7).trim();
    } else {
      given = query.get('token');
    }
    if (given === null) return false;
    return timingSafeEqual(digest(given), this.expected);
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
