/**
 * DM notices (docs/protocol.md 8.4, "Direct messages"): when a message is
 * stored in a DM room, each of its two accounts' connections on this node
 * that has not joined the room gets `{"type":"dm","room","peer"}` at once,
 * instead of finding the DM with its next `GET /dms`.
 *
 * Driven by the store's announcements (every committed message, on every
 * node), so a DM posted on another node reaches this node's connections with
 * no bus of its own. Cost per DM message: one cached membership lookup and
 * O(listeners of its two accounts), never O(all connections).
 */
import { isDmRoom } from '../../protocol/index.js';
import type { Principal } from '../identity/principal.js';
import type { Logger } from '../logger.js';
import type { RoomAccess } from '../stores/identity-store.js';
import { EncodedEvent } from './encoded-event.js';

/** The account a connection or held poll speaks for, as far as DM notices go. */
export interface DmScope {
  /** The account's name. */
  readonly name: string;
  /** A JWT's `rooms` claim: a notice only for a DM room it lists. Undefined: every room. */
  readonly rooms?: readonly string[] | undefined;
}

/** A persistent connection or a held long poll of an account. */
export interface DmListener {
  readonly dmScope: DmScope | undefined;
  /**
   * One notice for the account, encoded once and shared by all its listeners.
   * The listener drops it for a room it has joined, or has been told of.
   */
  onDmNotice(room: string, notice: EncodedEvent): void;
}

export interface DmNoticesOptions {
  /** The DM room's access (its two members); the identity store's `getRoomAccess`. None: notices are off. */
  members?: ((room: string) => Promise<RoomAccess | undefined>) | undefined;
  logger: Logger;
  /** DM rooms whose members are kept in memory (least recently used dropped). Default 10000. */
  cacheMax?: number;
  /** (account, session) pairs whose long polls were told of a DM (LRU). Default 10000. */
  pollMemoryMax?: number;
}

/** Default bound of both in-memory tables, entries: ~10000 × (a room name + two names) is about 2 MB at most. */
const DEFAULT_MAX = 10_000;

/** The index account → listeners, the members cache, and the fan-out of one DM message's notice. */
export class DmNotices {
  private readonly byAccount = new Map<string, Set<DmListener>>();
  /** DM room → its two members. A DM's membership never changes after `POST /dms`, so it never goes stale. */
  private readonly members = new Map<string, readonly string[]>();
  private readonly loading = new Map<string, Promise<readonly string[] | undefined>>();
  /** `account session` → DM rooms its long polls were told of (a poll is a new request each time). */
  private readonly polled = new Map<string, Set<string>>();
  private readonly lookup: DmNoticesOptions['members'];
  private readonly logger: Logger;
  private readonly cacheMax: number;
  private readonly pollMemoryMax: number;

  constructor(options: DmNoticesOptions) {
    this.lookup = options.members;
    this.logger = options.logger;
    this.cacheMax = options.cacheMax ?? DEFAULT_MAX;
    this.pollMemoryMax = options.pollMemoryMax ?? DEFAULT_MAX;
  }

  /** Starts telling `l` of its account's DM messages; a listener without an account is ignored. */
  add(l: DmListener): void {
    const name = l.dmScope?.name;
    if (name === undefined || this.lookup === undefined) return;
    let set = this.byAccount.get(name);
    if (set === undefined) this.byAccount.set(name, (set = new Set()));
    set.add(l);
  }

  remove(l: DmListener): void {
    const name = l.dmScope?.name;
    if (name === undefined) return;
    const set = this.byAccount.get(name);
    if (set?.delete(l) === true && set.size === 0) this.byAccount.delete(name);
  }

  /** Listeners on this node now (tests and metrics). */
  get listeners(): number {
    let n = 0;
    for (const set of this.byAccount.values()) n += set.size;
    return n;
  }

  /** Messages were stored in `room` (the store's announcement): tells its accounts' listeners. Never throws. */
  messagesStored(room: string): void {
    // No account listens on this node: nothing to look up (the common case of a server without accounts).
    if (!isDmRoom(room) || this.byAccount.size === 0) return;
    const known = this.members.get(room);
    if (known !== undefined) {
      this.deliver(room, known);
      return;
    }
    this.load(room).then(
      (members) => {
        if (members !== undefined) this.deliver(room, members);
      },
      (err: unknown) => this.logger.debug({ err, room }, 'DM members lookup failed; GET /dms catches up'),
    );
  }

  /**
   * Whether a long poll of `scope` with `session` may be answered with the
   * notice of `room`: once per (account, session, room), as a persistent
   * connection gets it once. A poll without a session is always told.
   */
  firstPollNotice(scope: DmScope, session: string | undefined, room: string): boolean {
    if (session === undefined) return true;
    const key = scope.name + ' ' + session;
    let rooms = this.polled.get(key);
    if (rooms === undefined) {
      if (this.polled.size >= this.pollMemoryMax) this.polled.delete(this.polled.keys().next().value!);
      this.polled.set(key, (rooms = new Set()));
    }
    if (rooms.has(room)) return false;
    rooms.add(room);
    return true;
  }

  private load(room: string): Promise<readonly string[] | undefined> {
    let p = this.loading.get(room);
    if (p !== undefined) return p;
    const lookup = this.lookup;
    if (lookup === undefined) return Promise.resolve(undefined);
    p = lookup(room)
      .then((access) => {
        // A `dm-` room is private to exactly two accounts; anything else is not a DM to tell of.
        if (access?.members.length !== 2) return undefined;
        if (this.members.size >= this.cacheMax) this.members.delete(this.members.keys().next().value!);
        this.members.set(room, access.members);
        return access.members;
      })
      .finally(() => this.loading.delete(room));
    this.loading.set(room, p);
    return p;
  }

  private deliver(room: string, members: readonly string[]): void {
    for (const name of members) {
      const set = this.byAccount.get(name);
      if (set === undefined) continue;
      const peer = members.find((m) => m !== name) ?? name;
      // Encoded once per account (its peer differs from the other account's), shared by its listeners.
      const notice = new EncodedEvent({ type: 'dm', room, peer });
      for (const l of [...set]) {
        const allowed = l.dmScope?.rooms;
        if (allowed !== undefined && !allowed.includes(room)) continue;
        try {
          l.onDmNotice(room, notice);
        } catch (err) {
          this.logger.error({ err, room }, 'DM notice delivery failed');
        }
      }
    }
  }
}

/** The DM scope of a principal: its account (and a JWT's `rooms` claim); undefined for guests and open servers. */
export function dmScopeOf(p: Principal | undefined): DmScope | undefined {
  if (p?.kind !== 'account') return undefined;
  return p.rooms === undefined ? { name: p.name } : { name: p.name, rooms: p.rooms };
}
