/**
 * Identity for the whole server, the one object the router and transports
 * ask: who is speaking (authenticate), under which nick (nickFor, holders
 * and claims), where they may go (checkRoom, visibleRooms), tickets, and the
 * watch that ends streams whose credential ran out.
 */
import type { IncomingMessage } from 'node:http';
import { LIMITS, ProtocolError, isDmRoom, validateNick } from '../../protocol/index.js';
import { TokenAuth } from '../http/auth.js';
import type { IdentityStore, RoomAccess } from '../stores/identity-store.js';
import { ACCOUNT_RE } from './account-name.js';
import { Accounts, parseAccountToken } from './accounts.js';
import { Authenticator } from './authenticator.js';
import { ExpiryWatch } from './expiry-watch.js';
import { JwtVerifier, type JwtOptions } from './jwt-verifier.js';
import { NickClaims, nickKey } from './nick-claims.js';
import type { Principal } from './principal.js';
import { TicketBook } from './tickets.js';

export interface IdentityOptions {
  /**
   * Accounts and room access (`Store.identity`). Identity's own handle on the store: a concern beside the
   * data path, whose messages and presence go through the hub only.
   */
  store: IdentityStore;
  /** The shared `--token` (RTCHAT_TOKEN), if any. */
  sharedToken?: string | undefined;
  /** Admit people without an account while accounts are on. Default false. */
  guests?: boolean | undefined;
  /** `--jwt-secret` / `--jwt-public-key`. */
  jwt?: JwtOptions | undefined;
  /** Ticket lifetime, ms. Default 30000. */
  ticketTtlMs?: number | undefined;
  /**
   * How often expiries are checked, ms (default 1000), and account tokens of open streams re-verified
   * (default 10000).
   */
  expiry?: { tickMs?: number; recheckMs?: number } | undefined;
}

export class Identity {
  readonly accounts: Accounts;
  readonly nicks = new NickClaims();
  readonly tickets: TicketBook;
  readonly expiry: ExpiryWatch;
  private readonly auth: Authenticator;
  /** The store's identity part: accounts, room access, read markers (DM and read routes use it directly). */
  readonly store: IdentityStore;
  /** Last answers of the store, used only while it cannot answer (null: not private). */
  private readonly lastAccess = new Map<string, RoomAccess | null>();
  private lastList: RoomAccess[] | undefined;

  /** Throws a plain Error with a one-line reason for a bad JWT secret or key. */
  constructor(options: IdentityOptions) {
    this.store = options.store;
    this.accounts = new Accounts(options.store);
    this.tickets = new TicketBook({ ...(options.ticketTtlMs !== undefined && { ttlMs: options.ticketTtlMs }) });
    this.expiry = new ExpiryWatch(options.expiry);
    const jwt =
      options.jwt?.secret !== undefined || options.jwt?.publicKey !== undefined
        ? new JwtVerifier(options.jwt)
        : undefined;
    this.auth = new Authenticator({
      shared: new TokenAuth(options.sharedToken),
      accounts: this.accounts,
      tickets: this.tickets,
      jwt,
      guests: options.guests ?? false,
    });
  }

  /** The request's principal; throws `unauthorized` or `token_expired`. */
  async authenticate(req: IncomingMessage, query: URLSearchParams): Promise<Principal> {
    const p = await this.auth.authenticate(req, query);
    if (p.kind === 'account' && p.expiresAt !== undefined && p.expiresAt <= Date.now()) {
      throw new ProtocolError('token_expired', 'the token expired; get a fresh one');
    }
    return p;
  }

  /**
   * The nick a principal speaks and appears under, from the one it asked for
   * (undefined when it asked for none): an account's name; a guest's `~nick`,
   * which may never be an account's name (`nick_taken`); anyone else's as given.
   */
  async nickFor(p: Principal, requested: string | undefined): Promise<string | undefined> {
    if (requested === undefined) return undefined;
    if (p.kind === 'account') return p.name;
    if (p.kind === 'open') return requested;
    const base = requested.replace(/^~+/, '');
    const nick = validateNick('~' + base);
    const asAccount = nickKey(base);
    if (ACCOUNT_RE.test(asAccount) && (await this.accounts.exists(asAccount))) {
      throw new ProtocolError('nick_taken', `${base} is an account's name; guests cannot take it`);
    }
    return nick;
  }

  /** Who holds a claimed nick: an account (all its sessions), else the session; undefined for anonymous. */
  holderOf(p: Principal, session: string | undefined): string | undefined {
    if (p.kind === 'account') return 'account:' + p.name;
    return session === undefined ? undefined : 'session:' + session;
  }

  /**
   * `not_found` (as if the room did not exist) for a private room the
   * principal is not a member of, and for a `dm-` room nobody opened through
   * `POST /dms` (the DM namespace is reserved: no one may make such a room by
   * joining or posting to it).
   */
  async checkRoom(p: Principal, room: string): Promise<void> {
    if (p.kind === 'account' && p.rooms !== undefined && !p.rooms.includes(room)) throw noSuchRoom();
    const access = await this.lastKnown(room);
    if (access === undefined) {
      if (isDmRoom(room)) throw noSuchRoom();
      return;
    }
    if (p.kind !== 'account' || !access.members.includes(p.name)) throw noSuchRoom();
  }

  /** The rooms of `list` the principal may see. DM rooms are never listed, not even to their two members. */
  async visibleRooms<T extends { room: string }>(p: Principal, list: T[]): Promise<T[]> {
    const hidden = new Set<string>();
    let all: RoomAccess[];
    try {
      all = await this.store.listRoomAccess();
      this.lastList = all;
    } catch (err) {
      if (this.lastList === undefined) throw err;
      all = this.lastList;
    }
    for (const access of all) {
      if (p.kind !== 'account' || !access.members.includes(p.name)) hidden.add(access.room);
    }
    const allowed = p.kind === 'account' ? p.rooms : undefined;
    return list.filter(
      (r) => !isDmRoom(r.room) && !hidden.has(r.room) && (allowed === undefined || allowed.includes(r.room)),
    );
  }

  /**
   * Ends a stream when its credential runs out: `end` is called once at a
   * JWT's `exp`, or when an account token no longer verifies. Returns the
   * function that stops watching.
   */
  watchStream(p: Principal, token: string | undefined, end: () => void): () => void {
    if (p.kind !== 'account') return () => undefined;
    const name = p.name;
    const accountToken = token !== undefined && parseAccountToken(token) !== undefined ? token : undefined;
    return this.expiry.watch({
      expiresAt: p.expiresAt,
      ...(accountToken !== undefined && { recheck: () => this.accounts.verify(accountToken).then((n) => n === name) }),
      end,
    });
  }

  /** A room's access, or while the store cannot answer (Redis away) the last one seen. */
  private async lastKnown(room: string): Promise<RoomAccess | undefined> {
    try {
      const access = await this.store.getRoomAccess(room);
      this.lastAccess.set(room, access ?? null);
      return access;
    } catch (err) {
      const last = this.lastAccess.get(room);
      if (last === undefined) throw err;
      return last ?? undefined;
    }
  }

  close(): void {
    this.nicks.close();
    this.tickets.close();
    this.expiry.close();
  }
}

/** How long a long poll with a nick holds it: as its presence does (twice the hold time plus the grace). */
export function pollLeaseMs(query: URLSearchParams): number {
  const raw = Number(query.get('timeout') ?? LIMITS.pollTimeout);
  const timeoutS = Number.isFinite(raw) && raw >= 0 ? Math.min(raw, LIMITS.maxPollTimeout) : LIMITS.pollTimeout;
  return (2 * timeoutS + LIMITS.pollPresenceGrace) * 1000;
}

/** The credential of a request as sent (for re-verifying an account token later); never logged. */
export function tokenOf(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined && header.length > 7 && header.slice(0, 7).toLowerCase() === 'bearer ')
    return header.slice(7).trim();
  return query.get('token') ?? undefined;
}

function noSuchRoom(): ProtocolError {
  return new ProtocolError('not_found', 'no such room');
}
