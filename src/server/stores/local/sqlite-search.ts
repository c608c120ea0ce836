/**
 * The full-text index of the SQLite store (schema version 2): an FTS5 table
 * kept in step with `messages` by the store's own statements, in the same
 * transaction as the rows they index: `addMessage` and `trimRoom` below are
 * the only ways rows enter or leave the log, so the index cannot drift.
 * (Triggers would do the same at twice the cost per message: SQLite runs a
 * trigger program per row; measured 24 vs 12 µs per append with its trim.)
 *
 * `messages` is a WITHOUT ROWID table keyed (room, seq), and FTS5 needs an
 * integer rowid. Each room gets a small integer id (`room_ids`), and a
 * message's index row is `(id << 40) | seq`: one room's rows are one rowid
 * range, so a search reads only its room's part of each word's list, newest
 * first, and stops at `limit`. 40 bits of seq last 35 years at 1000 messages
 * a second; 23 bits of id allow 8,388,607 rooms (the CHECK below).
 *
 * The table is contentless (`content=''`): the text lives once, in
 * `messages`, and a search joins back to it. `contentless_delete=1`
 * (SQLite >= 3.43) lets such a table delete rows by rowid.
 */
import type Database from 'better-sqlite3';
import type { MessageEvent } from '../../../protocol/index.js';

/** Bits of a message's index rowid that hold its seq. */
export const SEQ_BITS = 40n;

const SEARCH_SCHEMA = `
CREATE TABLE IF NOT EXISTS room_ids (
  id INTEGER PRIMARY KEY CHECK (id > 0 AND id < 8388608),
  room TEXT NOT NULL UNIQUE
);
-- unicode61: words are runs of letters and digits, case folded; remove_diacritics 2 makes "cafe" find "café".
CREATE VIRTUAL TABLE IF NOT EXISTS message_words USING fts5(
  text,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
-- Every room gets its id the moment it is created, whoever creates it (rare: a trigger costs nothing here).
CREATE TRIGGER IF NOT EXISTS room_ids_add AFTER INSERT ON rooms BEGIN
  INSERT OR IGNORE INTO room_ids (room) VALUES (new.room);
END;
`;

/**
 * Creates the index, its room ids and their trigger; with `backfill` (a database
 * of schema version 1) also indexes every message already stored. Runs inside
 * the caller's transaction, so a crash half-way leaves version 1 untouched.
 */
export function createSearchIndex(db: Database.Database, options: { backfill: boolean }): void {
  db.exec(SEARCH_SCHEMA);
  if (!options.backfill) return;
  db.exec(`
    INSERT OR IGNORE INTO room_ids (room) SELECT room FROM rooms ORDER BY created, room;
    INSERT INTO message_words (rowid, text)
      SELECT (r.id << 40) | m.seq, m.text FROM messages m JOIN room_ids r ON r.room = m.room;
  `);
}

/** The statements a search runs, prepared once with the store's others. */
export function prepareSearchStatements(db: Database.Database) {
  return {
    roomId: db.prepare<[string], number>('SELECT id FROM room_ids WHERE room = ?').pluck(),
    /** (room id, seq, text) */
    indexMessage: db.prepare<[number, number, string]>(
      'INSERT INTO message_words (rowid, text) VALUES ((? << 40) | ?, ?)',
    ),
    /** (room id, seq) */
    unindexMessage: db.prepare<[number, number]>('DELETE FROM message_words WHERE rowid = (? << 40) | ?'),
    // The rowid range keeps FTS5 inside one room and below `before`; ORDER BY rowid DESC is served by the
    // index itself, so the newest matches come first and LIMIT stops the walk. The join drops nothing in a
    // consistent database; it only brings back the row that the contentless index does not hold.
    search: db.prepare<[string, string, bigint, bigint, number], MessageEvent>(
      `SELECT 'message' AS type, m.room, m.seq, m.nick, m.cid, m.text, m.ts
       FROM message_words w JOIN messages m ON m.room = ? AND m.seq = (w.rowid & 1099511627775)
       WHERE message_words MATCH ? AND w.rowid >= ? AND w.rowid < ?
       ORDER BY w.rowid DESC LIMIT ?`,
    ),
  };
}

export type SearchStatements = ReturnType<typeof prepareSearchStatements>;
