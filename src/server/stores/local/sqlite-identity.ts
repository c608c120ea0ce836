/**
 * Accounts, private rooms and read markers in SQLite, in their own file next to the log
 * (`<dir>/accounts.db`). Apart because the log's file is locked EXCLUSIVE by
 * the one server that owns it: this one uses normal locking, so `rtchat user`
 * and `rtchat room` can change accounts while the server runs, and the
 * server sees the change on its next lookup (it caches nothing).
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  normalizeMembers,
  type AccountRecord,
  type IdentityStore,
  type ReadMarker,
  type RoomAccess,
  type RoomReadMarker,
} from '../identity-store.js';

/** The file inside the data dir. */
export const ACCOUNTS_FILE = 'accounts.db';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  name TEXT PRIMARY KEY,
  hash TEXT NOT NULL,
  created INTEGER NOT NULL,
  rotated INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS room_members (
  room TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (room, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS private_rooms (
  room TEXT PRIMARY KEY
) WITHOUT ROWID;
`;

// Read markers live here, beside the accounts they belong to, not in the log's
// file: they are per account, and written by whichever node the client reaches.
// IF NOT EXISTS adds the table and the index to an older accounts.db without a version bump.
const PER_ACCOUNT_SCHEMA = `
CREATE TABLE IF NOT EXISTS read_markers (
  name TEXT NOT NULL,
  room TEXT NOT NULL,
  seq INTEGER NOT NULL,
  epoch TEXT NOT NULL,
  PRIMARY KEY (name, room)
) WITHOUT ROWID;
-- An account's private rooms (GET /dms) without scanning every room's members.
CREATE INDEX IF NOT EXISTS room_members_by_name ON room_members (name, room);
`;

export class SqliteIdentity implements IdentityStore {
  readonly file: string;
  private readonly dir: string;
  private readonly busyTimeoutMs: number;
  private db: Database.Database | undefined;

  /** @param options.dir the data directory (created if missing). */
  constructor(options: { dir: string; busyTimeoutMs?: number }) {
    this.dir = options.dir;
    this.file = join(options.dir, ACCOUNTS_FILE);
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  }

  async open(): Promise<void> {
    if (this.db !== undefined) return;
    mkdirSync(this.dir, { recursive: true });
    const db = new Database(this.file, { timeout: this.busyTimeoutMs });
    try {
      db.pragma('journal_mode = WAL');
      // Account changes are rare and must survive a crash as an ack does.
      db.pragma('synchronous = FULL');
      db.exec(SCHEMA);
      db.exec(PER_ACCOUNT_SCHEMA);
      // Hashes only, but nobody else needs to read them.
      chmodSync(this.file, 0o600);
    } catch (err) {
      db.close();
      throw err;
    }
    this.db = db;
  }

  async putAccount(record: AccountRecord): Promise<void> {
    this.conn()
      .prepare('INSERT OR REPLACE INTO accounts (name, hash, created, rotated) VALUES (?, ?, ?, ?)')
      .run(record.name, record.hash, record.created, record.rotated);
  }

  async getAccount(name: string): Promise<AccountRecord | undefined> {
    return this.conn()
      .prepare<[string], AccountRecord>('SELECT name, hash, created, rotated FROM accounts WHERE name = ?')
      .get(name);
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return this.conn()
      .prepare<[], AccountRecord>('SELECT name, hash, created, rotated FROM accounts ORDER BY name')
      .all();
  }

  async removeAccount(name: string): Promise<boolean> {
    const db = this.conn();
    return db
      .transaction(() => {
        db.prepare('DELETE FROM read_markers WHERE name = ?').run(name);
        return db.prepare('DELETE FROM accounts WHERE name = ?').run(name).changes > 0;
      })
      .immediate();
  }

  async hasAccounts(): Promise<boolean> {
    return this.conn().prepare('SELECT 1 FROM accounts LIMIT 1').get() !== undefined;
  }

  async putRoomAccess(access: RoomAccess): Promise<void> {
    const db = this.conn();
    db.transaction(() => {
      db.prepare('INSERT OR IGNORE INTO private_rooms (room) VALUES (?)').run(access.room);
      db.prepare('DELETE FROM room_members WHERE room = ?').run(access.room);
      const add = db.prepare('INSERT INTO room_members (room, name) VALUES (?, ?)');
      for (const name of normalizeMembers(access.members)) add.run(access.room, name);
    }).immediate();
  }

  async getRoomAccess(room: string): Promise<RoomAccess | undefined> {
    const db = this.conn();
    if (db.prepare('SELECT 1 FROM private_rooms WHERE room = ?').get(room) === undefined) return undefined;
    const members = db
      .prepare<[string], string>('SELECT name FROM room_members WHERE room = ? ORDER BY name')
      .pluck()
      .all(room);
    return { room, members };
  }

  async listRoomAccess(): Promise<RoomAccess[]> {
    const rooms = this.conn().prepare<[], string>('SELECT room FROM private_rooms ORDER BY room').pluck().all();
    const out: RoomAccess[] = [];
    for (const room of rooms) {
      const a = await this.getRoomAccess(room);
      if (a !== undefined) out.push(a);
    }
    return out;
  }

  async listRoomAccessOf(account: string): Promise<RoomAccess[]> {
    const rooms = this.conn()
      .prepare<[string], string>('SELECT room FROM room_members WHERE name = ? ORDER BY room')
      .pluck()
      .all(account);
    const out: RoomAccess[] = [];
    for (const room of rooms) {
      const a = await this.getRoomAccess(room);
      if (a !== undefined) out.push(a);
    }
    return out;
  }

  async removeRoomAccess(room: string): Promise<boolean> {
    const db = this.conn();
    return db
      .transaction(() => {
        db.prepare('DELETE FROM room_members WHERE room = ?').run(room);
        return db.prepare('DELETE FROM private_rooms WHERE room = ?').run(room).changes > 0;
      })
      .immediate();
  }

  async getReadMarker(account: string, room: string): Promise<ReadMarker | undefined> {
    return this.conn()
      .prepare<[string, string], ReadMarker>('SELECT seq, epoch FROM read_markers WHERE name = ? AND room = ?')
      .get(account, room);
  }

  async setReadMarker(account: string, room: string, marker: ReadMarker): Promise<ReadMarker> {
    // One statement, so two clients of one account racing cannot move it back (mergeReadMarker's rule).
    const row = this.conn()
      .prepare<[string, string, number, string], ReadMarker>(
        `INSERT INTO read_markers (name, room, seq, epoch) VALUES (?, ?, ?, ?)
         ON CONFLICT (name, room) DO UPDATE SET
           seq = CASE WHEN epoch = excluded.epoch THEN max(seq, excluded.seq) ELSE excluded.seq END,
           epoch = excluded.epoch
         RETURNING seq, epoch`,
      )
      .get(account, room, marker.seq, marker.epoch);
    if (row === undefined) throw new Error('read marker upsert returned no row');
    return row;
  }

  async listReadMarkers(account: string): Promise<RoomReadMarker[]> {
    return this.conn()
      .prepare<[string], RoomReadMarker>('SELECT room, seq, epoch FROM read_markers WHERE name = ? ORDER BY room')
      .all(account);
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
  }

  private conn(): Database.Database {
    if (this.db === undefined) throw new Error(`${this.file} is not open`);
    return this.db;
  }
}
