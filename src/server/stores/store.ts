/**
 * The storage and fan-out contract behind the hub. The hub never learns which
 * store it talks to: SQLite and memory live in one process, Redis spans nodes.
 *
 * Fan-out is driven by the store: `append` resolves once a message is durably
 * committed, and *every* committed message (this node's or another node's) is
 * announced to `subscribe` listeners in seq order per room. Transports never
 * broadcast what they received themselves.
 */
import type { MessageEvent, PresenceMember } from '../../protocol/index.js';
import type { IdentityStore } from './identity-store.js';

export interface AppendInput {
  room: string;
  nick: string;
  text: string;
  /** Idempotency key part; absent for anonymous sends. */
  session?: string;
  /** Client message id; when absent the store makes one and the send is not idempotent. */
  cid?: string;
}

export type AppendResult =
  /** Stored now (HTTP 201). */
  | { status: 'created'; message: MessageEvent }
  /** The same (room, session, cid) was stored before with the same text (HTTP 200). */
  | { status: 'duplicate'; message: MessageEvent };
// A known key with another text rejects with ProtocolError('conflict').

export interface RoomState {
  room: string;
  /** Opaque name of this life of the room's log. */
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
  version: number;
  count: number;
  members: PresenceMember[];
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
  /** Opens files or connections and loads room metadata. */
  open(): Promise<void>;
  /** Creates the room (and its epoch) if it does not exist, and returns its state. */
  ensureRoom(room: string): Promise<RoomState>;
  /** Known rooms only; undefined for a room that was never touched. */
  roomState(room: string): Promise<RoomState | undefined>;
  listRooms(): Promise<RoomState[]>;
  /** Resolves after the durable commit (group-committed per tick). */
  append(input: AppendInput): Promise<AppendResult>;
  /** Messages with seq > after, at most `limit`, in seq order. */
  read(room: string, after: number, limit: number): Promise<MessageEvent[]>;

  /**
   * Adds or refreshes a member in O(1) (O(log members) in Redis); announces a
   * `presence` event when the member list changed. Rejects like `append`
   * when the store cannot take writes (`unavailable`).
   */
  presenceUpsert(room: string, entry: PresenceEntry): Promise<void>;
  /** Removes a member (a no-op for one that is not there); announces when it was. */
  presenceRemove(room: string, key: string): Promise<void>;
  /** The count and one page of members; costs O(page), never O(members). */
  presence(room: string, page: PresencePage): Promise<PresenceSnapshot>;

  subscribe(listener: StoreListener): () => void;
  /** Accounts and private rooms (opened and closed with the store). */
  readonly identity: IdentityStore;
  /** True while the store can take writes (false while Redis is away). */
  readonly writable: boolean;
  /** Flushes pending writes and closes. */
  close(): Promise<void>;
}
