/**
 * The part of the store contract that says who is who: accounts (a name and
 * the salted hash of its token, never the token) and the member lists of
 * private rooms, and each account's read markers. Every Store has one
 * (`store.identity`) so accounts live where the messages live: a SQLite file
 * next to the log, the process's memory, or Redis shared by every node.
 * `rtchat user` and `rtchat room` open the same one from outside the server.
 */
import type { ReadMarker } from '../../protocol/read-marker.js';

export { mergeReadMarker, type ReadMarker } from '../../protocol/read-marker.js';

export interface AccountRecord {
  /** Account name, `^[a-z0-9][a-z0-9_-]{0,31}$` (see identity/account-name.ts). */
  name: string;
  /** Encoded scrypt hash of the token with its salt and parameters (see identity/token-hash.ts). */
  hash: string;
  /** Wall-clock ms of creation. */
  created: number;
  /** Wall-clock ms of the last token rotation (= created at first). */
  rotated: number;
}

/** A private room: only these accounts may read, send, list or even see it. */
export interface RoomAccess {
  room: string;
  /** Account names, sorted, without duplicates. */
  members: string[];
}

/** A read marker with its room, as `listReadMarkers` gives them. */
export interface RoomReadMarker extends ReadMarker {
  room: string;
}

export interface IdentityStore {
  /** Opens files or connections; idempotent. */
  open(): Promise<void>;
  /** Creates or replaces the account of `record.name`. */
  putAccount(record: AccountRecord): Promise<void>;
  getAccount(name: string): Promise<AccountRecord | undefined>;
  /** Sorted by name. */
  listAccounts(): Promise<AccountRecord[]>;
  /** False when there was no such account. Its read markers go with it. */
  removeAccount(name: string): Promise<boolean>;
  /** Whether any account exists (which turns accounts on for the server). */
  hasAccounts(): Promise<boolean>;
  /** Makes the room private with these members, or replaces its members. */
  putRoomAccess(access: RoomAccess): Promise<void>;
  /** Undefined for a room that is not private. */
  getRoomAccess(room: string): Promise<RoomAccess | undefined>;
  /** Every private room, sorted by room. */
  listRoomAccess(): Promise<RoomAccess[]>;
  /**
   * The private rooms (DMs included) the account is a member of, sorted by
   * room: what `GET /dms` reads (at start, on reconnect and every 5 min per client), so it costs
   * O(the account's rooms), never O(all private rooms).
   */
  listRoomAccessOf(account: string): Promise<RoomAccess[]>;
  /** Makes the room public again; false when it was not private. */
  removeRoomAccess(room: string): Promise<boolean>;
  /** The account's marker in the room; undefined when never set. */
  getReadMarker(account: string, room: string): Promise<ReadMarker | undefined>;
  /**
   * Stores the marker atomically and returns the one now stored: within one
   * epoch a marker only moves forward (a lower seq leaves the stored one); a
   * marker of another epoch replaces it (the room's log started over).
   */
  setReadMarker(account: string, room: string, marker: ReadMarker): Promise<ReadMarker>;
  /** Every marker of the account, sorted by room. */
  listReadMarkers(account: string): Promise<RoomReadMarker[]>;
  close(): Promise<void>;
}

/** Members sorted and without duplicates, as every store keeps them. */
export function normalizeMembers(members: readonly string[]): string[] {
  return [...new Set(members)].sort();
}
