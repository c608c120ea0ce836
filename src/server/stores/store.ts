/**
 * The storage and fan-out contract behind the hub. The hub never learns which
 * store it talks to: SQLite and memory live in one process, Redis spans nodes.
 *
 * Fan-out is driven by the store: `append` resolves once a message is durably
 * committed, and *every* committed message (this node's or another node's) is
 * announced to `subscribe` listeners in seq order per room. Transports never
 * broadcast what they received themselves.
 *
 * Errors: every method rejects (never throws synchronously) with a
 * ProtocolError whose code the hub passes on to the client:
 * - `unavailable` (503, retryAfterMs 1000 for Redis): the store cannot serve
 *   now (Redis unreachable or answering LOADING/BUSY/…, a store not open);
 *   the client retries, nothing was written;
 * - `shutting_down` (503): the store was closed (writes after `close()`);
 * - `conflict` (409): `append` only, see below.
 * Anything else (a SQLite I/O error, an unexpected Redis reply) is a bug or a
 * broken disk: the hub logs it and the client sees `internal` (500).
 * The store contract test (test/stores/store-contract.ts) runs against every store.
 */
import type { MessageEvent, PresenceMember, SearchTerm } from '../../protocol/index.js';
import type { IdentityStore } from './identity-store.js';

export interface AppendInput {
  room: string;
  nick: string;
  text: string;
  /** Idempotency key part: 16-64 characters of [A-Za-z0-9_-]; absent for anonymous sends. */
  session?: string;
  /** Client message id; when absent the store makes one and the send is not idempotent. */
  cid?: string;
}

export type AppendResult =
  /** Stored now (HTTP 201). */
  | { status: 'created'; message: MessageEvent }
  /** The same (room, session, cid) was stored before with the same text (HTTP 200). */
  | { status: 'duplicate'; message: MessageEvent };
// A known (room, session, cid) with another text rejects with ProtocolError('conflict').

export interface RoomState {
  room: string;
  /** Opaque name of this life of the room's log; a new one means seqs started over. */
  epoch: string;
  /** Highest seq stored, 0 for an empty room. */
  head: number;
  /** Lowest seq still retained; head + 1 when nothing is retained. */
  tail: number;
}

/** One present member, keyed by session (or a server-made key for anonymous clients). */
export interface PresenceEntry extends PresenceMember {
  key: string;
}

/** Which members to read: positions `offset` .. `offset + limit - 1` in `since` order. */
export interface PresencePage {
  offset: number;
  /** 0 reads the count only. */
  limit: number;
}

/** A room's presence: the whole count and one page of members, oldest `since` first. */
export interface PresenceSnapshot {
  room: string;
  /** Grows on every change; never goes down, across restarts and nodes. */
  version: number;
  count: number;
  members: PresenceMember[];
}

/** What `search` looks for: parsed once by the caller (`parseSearchQuery`), so a bad query never reaches a store. */
export interface SearchQuery {
  /** Every term must match (AND); at least one. */
  terms: readonly SearchTerm[];
  /** Only messages with seq below this. Default: the whole retained log. */
  before?: number | undefined;
  /** Results at most, >= 1 (the endpoint allows 1..100). */
  limit: number;
}

/** One page of hits. */
export interface SearchPage {
  /** Newest (highest seq) first, retained messages only. */
  results: MessageEvent[];
  /** True when more matches may exist below this page. */
  more: boolean;
  /** The `before` of the next page; set when `more` is. */
  next?: number;
  /** Messages read, for stores that scan within a bound (Redis); absent for an index or a full scan. */
  scanned?: number;
  /** False when a bounded scan stopped before the start of the retained log (Redis); absent otherwise. */
  complete?: boolean;
}

export type StoreEvent =
  | { kind: 'messages'; room: string; messages: MessageEvent[] }
  /**
   * The room's presence changed (`version` is the new one), or may have
   * (no `version`: the store lost track, e.g. after Redis came back). It
   * carries no members: a change costs O(1) to announce, whatever the room's
   * size, and listeners read what they need with `presence`, paced.
   */
  | { kind: 'presence'; room: string; version?: number };

export type StoreListener = (event: StoreEvent) => void;

export interface Store {
  /**
   * Opens files or connections and loads room metadata. Rejects with
   * `unavailable` when Redis cannot be reached, `shutting_down` after
   * `close()`; a SQLite file that cannot be opened or has a newer schema
   * rejects with a plain Error (startServer fails, `serve` exits 1).
   */
  open(): Promise<void>;
  /**
   * Creates the room (and its epoch) if it does not exist, and returns its
   * state. Rejects with `unavailable` (store away or not open) or
   * `shutting_down` (SQLite, after `close()`).
   */
  ensureRoom(room: string): Promise<RoomState>;
  /**
   * Known rooms only; undefined for a room that was never touched. Redis
   * answers from this node's last view while it is away; a room it never
   * saw rejects with `unavailable`.
   */
  roomState(room: string): Promise<RoomState | undefined>;
  /** Every known room. Rejects with `unavailable` while Redis is away. */
  listRooms(): Promise<RoomState[]>;
  /**
   * Resolves after the durable commit (group-committed per tick). Rejects
   * with `conflict` for a known (room, session, cid) with another text,
   * `unavailable` while the store cannot take writes (`writable` is false),
   * `shutting_down` once `close()` began. A rejected append stored nothing.
   */
  append(input: AppendInput): Promise<AppendResult>;
  /**
   * Messages with seq > after, at most `limit`, in seq order; [] for an
   * unknown room. Rejects with `unavailable` while Redis is away or the
   * store is not open.
   */
  read(room: string, after: number, limit: number): Promise<MessageEvent[]>;
  /**
   * Retained messages of the room whose text matches every term, newest
   * first. SQLite answers from its FTS5 index (kept in step with appends and
   * trims), memory scans its log, Redis scans at most its `searchScan` newest
   * messages below `before` and says how far it got. An unknown room has no
   * hits. Rejects with `unavailable` while Redis is away or the store is not open.
   */
  search(room: string, query: SearchQuery): Promise<SearchPage>;

  /**
   * Adds or refreshes a member in O(1) (O(log members) in Redis); announces a
   * `presence` event when the member list changed. Rejects like `append`
   * when the store cannot take writes (`unavailable`).
   */
  presenceUpsert(room: string, entry: PresenceEntry): Promise<void>;
  /** Removes a member (a no-op for one that is not there); announces when it was. Rejects like `presenceUpsert`. */
  presenceRemove(room: string, key: string): Promise<void>;
  /**
   * The count and one page of members; costs O(page), never O(members).
   * Rejects with `unavailable` while Redis is away.
   */
  presence(room: string, page: PresencePage): Promise<PresenceSnapshot>;

  /**
   * Calls `listener` for every committed message and presence change, in
   * seq order per room; returns the unsubscribe function. Never throws; a
   * listener that throws does not undo the commit (the error is reported).
   */
  subscribe(listener: StoreListener): () => void;
  /** Accounts and private rooms (opened and closed with the store). */
  readonly identity: IdentityStore;
  /** True while the store can take writes (false while Redis is away). */
  readonly writable: boolean;
  /** Flushes pending writes and closes; idempotent, never rejects for a store that was open. */
  close(): Promise<void>;
}
