import Database from 'better-sqlite3';
import type { MessageEvent } from '../../../protocol/index.js';
import { createSearchIndex, prepareSearchStatements } from './sqlite-search.js';

/**
 * Bumped when the tables change. 1: rooms, messages, cids. 2: the full-text
 * index (sqlite-search.ts), built for the stored messages when a version 1
 * file is opened.
 */
export const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
  room TEXT PRIMARY KEY,
  epoch TEXT NOT NULL,
  created INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS messages (
  room TEXT NOT NULL,
  seq INTEGER NOT NULL,
  nick TEXT NOT NULL,
  cid TEXT NOT NULL,
  text TEXT NOT NULL,
  ts INTEGER NOT NULL,
  PRIMARY KEY (room, seq)
) WITHOUT ROWID;
-- Idempotency keys live apart from messages so that retention never shortens
-- their life; each row holds what a duplicate's answer needs (the text is the
-- retry's own, known equal through the hash).
CREATE TABLE IF NOT EXISTS cids (
  room TEXT NOT NULL,
  session TEXT NOT NULL,
  cid TEXT NOT NULL,
  hash INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  nick TEXT NOT NULL,
  ts INTEGER NOT NULL,
  PRIMARY KEY (room, session, cid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cids_ts ON cids (ts);
`;

export interface CidRow {
  hash: number;
  seq: number;
  nick: string;
  ts: number;
}

export interface RoomRow {
  room: string;
  /** Its number in the search index. */
  id: number;
  epoch: string;
}

/** Opens (creating if needed) the database file with the pragmas the store relies on. */
export function openDatabase(file: string, busyTimeoutMs: number): Database.Database {
  const db = new Database(file, { timeout: busyTimeoutMs });
  try {
    // One process owns the file: the store keeps every room's head in memory,
    // so a second writer would hand out the same seqs. EXCLUSIVE before WAL also
    // keeps the WAL index in memory instead of a -shm file.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    // An ack promises the message survives kill -9 *and* power loss. In WAL
    // mode NORMAL only syncs at checkpoints, so the last commits can vanish on
    // power loss; FULL syncs the WAL on every commit. Group commit pays that
    // fsync once per batch, not once per message.
    db.pragma('synchronous = FULL');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (!Number.isSafeInteger(version) || version < 0 || version > SCHEMA_VERSION) {
      throw new Error(`${file} has schema version ${version}; this rtchat knows up to ${SCHEMA_VERSION}`);
    }
    // The first write takes the exclusive lock, so a second server fails here. An upgrade is one
    // transaction: a crash during it leaves the file as it was.
    db.transaction(() => {
      db.exec(SCHEMA);
      createSearchIndex(db, { backfill: version === 1 });
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Every statement the store runs, prepared once. */
export function prepareStatements(db: Database.Database) {
  return {
    rooms: db.prepare<[], RoomRow>('SELECT r.room, i.id, r.epoch FROM rooms r JOIN room_ids i ON i.room = r.room'),
    insertRoom: db.prepare<[string, string, number]>('INSERT INTO rooms (room, epoch, created) VALUES (?, ?, ?)'),
    head: db.prepare<[string], number>('SELECT seq FROM messages WHERE room = ? ORDER BY seq DESC LIMIT 1').pluck(),
    tail: db.prepare<[string], number>('SELECT seq FROM messages WHERE room = ? ORDER BY seq LIMIT 1').pluck(),
    // Columns in MessageEvent order, so rows go out to clients as they are.
    read: db.prepare<[string, number, number], MessageEvent>(
      `SELECT 'message' AS type, room, seq, nick, cid, text, ts FROM messages
       WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    insertMessage: db.prepare<[string, number, string, string, string, number]>(
      'INSERT INTO messages (room, seq, nick, cid, text, ts) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    trim: db.prepare<[string, number]>('DELETE FROM messages WHERE room = ? AND seq < ?'),
    getCid: db.prepare<[string, string, string], CidRow>(
      'SELECT hash, seq, nick, ts FROM cids WHERE room = ? AND session = ? AND cid = ?',
    ),
    // REPLACE: an expired key that was not pruned yet is taken over by the new send.
    putCid: db.prepare<[string, string, string, number, number, string, number]>(
      'INSERT OR REPLACE INTO cids (room, session, cid, hash, seq, nick, ts) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    pruneCids: db.prepare<[number, number]>(
      `DELETE FROM cids WHERE (room, session, cid) IN
       (SELECT room, session, cid FROM cids WHERE ts < ? LIMIT ?)`,
    ),
    ...prepareSearchStatements(db),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
