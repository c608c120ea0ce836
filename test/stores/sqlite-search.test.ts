/**
 * The SQLite store's search index beyond the contract: a database written by
 * schema version 1 (before search) gets its index on open, and the index
 * holds exactly the retained messages after trims of every kind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../src/protocol/index.js';
import { SQLITE_FILE, SqliteStore, type SqliteStoreOptions } from '../../src/server/stores/local/sqlite-store.js';
import { uniqueRoom } from './event-log.js';

const dirs: string[] = [];
const stores: SqliteStore[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtchat-search-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function openStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  const store = new SqliteStore(options);
  await store.open();
  stores.push(store);
  return store;
}

async function hits(store: SqliteStore, room: string, q: string): Promise<number[]> {
  const page = await store.search(room, { terms: parseSearchQuery(q), limit: 100 });
  return page.results.map((m) => m.seq);
}

/** The tables of schema version 1, as rtchat wrote them before search existed (verbatim). */
const SCHEMA_V1 = `
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

/** Writes a version 1 database with `rooms` (room → texts, seqs from 1). */
function writeV1(dir: string, rooms: Record<string, string[]>): void {
  const db = new Database(join(dir, SQLITE_FILE));
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA_V1);
  db.pragma('user_version = 1');
  const insertRoom = db.prepare('INSERT INTO rooms (room, epoch, created) VALUES (?, ?, ?)');
  const insertMessage = db.prepare('INSERT INTO messages (room, seq, nick, cid, text, ts) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const [room, texts] of Object.entries(rooms)) {
      insertRoom.run(room, `epoch-${room}`, Date.now());
      texts.forEach((text, i) => insertMessage.run(room, i + 1, 'ann', `c${i + 1}`, text, Date.now()));
    }
  })();
  db.close();
}

/** Index rows and messages, counted from the file of a closed store. */
function counts(dir: string): { indexed: number; messages: number; version: number } {
  const db = new Database(join(dir, SQLITE_FILE), { readonly: true });
  try {
    const count = (sql: string): number => db.prepare<[], number>(sql).pluck().get() ?? -1;
    return {
      // A contentless-delete table lists its live rows through its docsize shadow table.
      indexed: count('SELECT count(*) FROM message_words_docsize'),
      messages: count('SELECT count(*) FROM messages'),
      version: db.pragma('user_version', { simple: true }) as number,
    };
  } finally {
    db.close();
  }
}

describe('SqliteStore search index', () => {
  it('builds the index for a schema version 1 database when it opens it', async () => {
    const dir = tempDir();
    const [a, b] = [uniqueRoom('a'), uniqueRoom('b')];
    writeV1(dir, {
      [a]: ['the deploy is done', 'lunch?', 'Deploy again'],
      [b]: ['deploy elsewhere'],
    });
    const store = await openStore({ dir });
    expect(await store.roomState(a)).toMatchObject({ epoch: `epoch-${a}`, head: 3, tail: 1 });
    expect(await hits(store, a, 'deploy')).toEqual([3, 1]);
    expect(await hits(store, b, 'DEPLOY')).toEqual([1]);
    // New rooms and messages after the upgrade are indexed as usual.
    await store.append({ room: a, nick: 'bob', text: 'deploy three' });
    const c = uniqueRoom('c');
    await store.append({ room: c, nick: 'bob', text: 'deploy in a new room' });
    expect(await hits(store, a, 'deploy')).toEqual([4, 3, 1]);
    expect(await hits(store, c, 'deploy')).toEqual([1]);
    await store.close();
    expect(counts(dir)).toEqual({ indexed: 6, messages: 6, version: 2 });
    // And the upgrade runs once: a second open finds the same, no duplicates.
    const again = await openStore({ dir });
    expect(await hits(again, a, 'deploy')).toEqual([4, 3, 1]);
  });

  it('applies a lowered retain at open to the index too', async () => {
    const dir = tempDir();
    const room = uniqueRoom();
    writeV1(dir, { [room]: Array.from({ length: 10 }, (_, i) => `note ${i + 1}`) });
    const store = await openStore({ dir, retain: 4 });
    expect(await hits(store, room, 'note')).toEqual([10, 9, 8, 7]);
    expect(await hits(store, room, '2')).toEqual([]);
    await store.close();
    expect(counts(dir)).toMatchObject({ indexed: 4, messages: 4 });
  });

  it('keeps exactly the retained messages indexed while trimming batch after batch', async () => {
    const dir = tempDir();
    const store = await openStore({ dir, retain: 7 });
    const rooms = [uniqueRoom('x'), uniqueRoom('y')];
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        Array.from({ length: 9 }, (_, i) => store.append({ room: rooms[i % 2]!, nick: 'n', text: `word r${round}` })),
      );
    }
    for (const room of rooms) {
      const state = await store.roomState(room);
      const page = await store.search(room, { terms: parseSearchQuery('word'), limit: 100 });
      expect(page.results.map((m) => m.seq)).toEqual(Array.from({ length: 7 }, (_, i) => state!.head - i));
    }
    await store.close();
    expect(counts(dir)).toMatchObject({ indexed: 14, messages: 14 });
  });

  it('refuses a database from a newer rtchat', async () => {
    const dir = tempDir();
    const db = new Database(join(dir, SQLITE_FILE));
    db.pragma('user_version = 3');
    db.close();
    await expect(new SqliteStore({ dir }).open()).rejects.toThrow(/schema version 3; this rtchat knows up to 2/);
  });
});
