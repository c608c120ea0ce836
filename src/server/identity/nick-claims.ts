/**
 * Who holds which nick in which room, so that nobody takes the nick of a
 * present session (`409 nick_taken`). A holder is a session (or an account,
 * whose sessions all share its name); it holds a nick while it has an open
 * stream or socket in the room, or until the lease of its last long poll
 * runs out. Nicks compare case-insensitively after NFKC, so `Bob` and `ｂｏｂ`
 * are `bob`.
 *
 * Per process: with several nodes on one Redis, a nick is protected from
 * sessions on the same node only; accounts (whose nicks are their names)
 * are the cross-node answer, see docs/security.md.
 */
import { ProtocolError } from '../../protocol/index.js';

interface Claim {
  holder: string;
  /** Open streams and sockets holding it. */
  refs: number;
  /** Wall-clock ms until which a long poll holds it. */
  leaseUntil: number;
}

/** How often lapsed claims are dropped, ms. */
const SWEEP_MS = 10_000;

export function nickKey(nick: string): string {
  return nick.normalize('NFKC').toLowerCase();
}

export class NickClaims {
  private readonly claims = new Map<string, Claim>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => this.sweep(Date.now()), SWEEP_MS).unref();
  }

  /** Throws `nick_taken` when someone other than `holder` holds `nick` in `room`. */
  check(room: string, nick: string, holder: string | undefined): void {
    const c = this.live(this.key(room, nick));
    if (c !== undefined && c.holder !== holder) {
      throw new ProtocolError('nick_taken', `the nick ${nick} is taken by someone present in ${room}`);
    }
  }

  /** Holds `nick` in `room` until the returned release is called (once). */
  hold(room: string, nick: string, holder: string): () => void {
    const c = this.take(room, nick, holder);
    c.refs++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      c.refs--;
      const key = this.key(room, nick);
      if (this.claims.get(key) === c && !held(c, Date.now())) this.claims.delete(key);
    };
  }

  /** Holds `nick` in `room` until `untilMs` (a long poll's presence lease). */
  lease(room: string, nick: string, holder: string, untilMs: number): void {
    const c = this.take(room, nick, holder);
    if (untilMs > c.leaseUntil) c.leaseUntil = untilMs;
  }

  close(): void {
    clearInterval(this.sweeper);
    this.claims.clear();
  }

  private take(room: string, nick: string, holder: string): Claim {
    this.check(room, nick, holder);
    const key = this.key(room, nick);
    let c = this.live(key);
    if (c === undefined) {
      c = { holder, refs: 0, leaseUntil: 0 };
      this.claims.set(key, c);
    }
    return c;
  }

  private live(key: string): Claim | undefined {
    const c = this.claims.get(key);
    if (c === undefined) return undefined;
    if (held(c, Date.now())) return c;
    this.claims.delete(key);
    return undefined;
  }

  private key(room: string, nick: string): string {
    return room + '\u0000' + nickKey(nick);
  }

  private sweep(now: number): void {
    for (const [key, c] of this.claims) if (!held(c, now)) this.claims.delete(key);
  }
}

function held(c: Claim, now: number): boolean {
  return c.refs > 0 || c.leaseUntil > now;
}
