import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { ftsQuery, ProtocolError, type MessageEvent } from '../../../protocol/index.js';
import { announceBatch, appendBatch, Repeat, type AppendSteps, type BatchRoom } from './append-batch.js';
import { newEpoch } from '../epoch.js';
import type { Rejected } from './group-commit.js';
import { NO_SESSION, textHash } from '../idempotency.js';
import { LocalStore, type LocalStoreOptions } from './local-store.js';
import { SqliteIdentity } from './sqlite-identity.js';
import { openDatabase, prepareStatements, type Statements } from './sqlite-schema.js';
import { pageOf } from '../search-page.js';
import { SEQ_BITS } from './sqlite-search.js';
import type { AppendInput, AppendResult, RoomState, SearchPage, SearchQuery } from '../store.js';

/** Also `retain`, `cidTtlMs` and `onListenerError`, with the defaults of `LocalStoreOptions`. */
export interface SqliteStoreOptions extends LocalStoreOptions {
  /** Directory of the database file `<dir>/rtchat.db`; created if missing. */
  dir: string;
  /**
   * How long `open()` waits for another process's lock on the database, in
   * ms. Default 0: an owner keeps its lock for its whole life (locking_mode
   * EXCLUSIVE), so waiting only delays the DataDirInUseError.
   */
  busyTimeoutMs?: number;
}

/** Another process (another `rtchat serve --data` on the same directory) holds the database. */
export class DataDirInUseError extends Error {
  readonly code = 'data_dir_in_use';
  constructor(
    readonly dir: string,
    options: { cause?: unknown } = {},
  ) {
    super(`the data directory ${dir} is in use by another rtchat server (its database is locked)`, options);
    this.name = 'DataDirInUseError';
  }
}

/** The file inside `dir`. */
export const SQLITE_FILE = 'rtchat.db';

/** Expired cids are deleted this often, in chunks, off the append path. */
const PRUNE_MS = 60_000;
const PRUNE_CHUNK = 5000;

/** Room metadata, cached so that heads, tails and epochs cost no query. */
interface RoomMeta {
  room: string;
  /** The room's number in the search index (sqlite-search.ts). */
  id: number;
  epoch: string;
  head: number;
  tail: number;
}

/** What one batch does to one room, applied to the cache only after the commit. */
interface RoomWork extends BatchRoom {
  meta: RoomMeta;
  fresh: boolean;
}

/**
 * A single-node store in one SQLite file (better-sqlite3, WAL, synchronous
 * FULL). Appends of one tick share one transaction; an append resolves, and
 * its message is announced, only after that transaction is on disk.
 */
export class SqliteStore extends LocalStore {
  /** Path of the database file. */
  readonly file: string;
  /** Accounts and private rooms, in `<dir>/accounts.db`. */
  readonly identity: SqliteIdentity;
  private readonly dir: string;
  private readonly busyTimeoutMs: number;
  private readonly rooms = new Map<string, RoomMeta>();
  /** Rooms touched by the batch being written; reused from batch to batch. */
  private readonly work = new Map<string, RoomWork>();
  private db: Database.Database | undefined;
  private stmts: Statements | undefined;
  private commitBatch: ((items: readonly AppendInput[]) => Array<AppendResult | Rejected>) | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(options: SqliteStoreOptions) {
    super(options);
    this.dir = options.dir;
    this.file = join(options.dir, SQLITE_FILE);
    // The log fails fast when another server holds it ("in use by another rtchat server"); accounts.db is
    // shared with `rtchat user` commands run beside the server, so it waits for their writes.
    this.busyTimeoutMs = options.busyTimeoutMs ?? 0;
    this.identity = new SqliteIdentity({ dir: options.dir, busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
  }

  async open(): Promise<void> {
    if (this.db !== undefined) return;
    if (this.closed) throw new ProtocolError('shutting_down', 'the store is closed');
    mkdirSync(this.dir, { recursive: true });
    let db: Database.Database;
    try {
      db = openDatabase(this.file, this.busyTimeoutMs);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw new DataDirInUseError(this.dir, { cause: err });
      throw err;
    }
    let stmts: Statements;
    try {
      stmts = prepareStatements(db);
      db.transaction(() => this.loadRooms(stmts))();
    } catch (err) {
      this.rooms.clear();
      db.close();
      throw err;
    }
    try {
      await this.identity.open();
    } catch (err) {
      this.rooms.clear();
      db.close();
      throw err;
    }
    this.db = db;
    this.stmts = stmts;
    const steps = this.appendSteps(stmts);
    this.commitBatch = db.transaction((items: readonly AppendInput[]) => this.write(stmts, steps, items));
    this.prune();
    this.pruneTimer = setInterval(() => this.prune(), PRUNE_MS);
    this.pruneTimer.unref();
  }

  async ensureRoom(room: string): Promise<RoomState> {
    let meta = this.rooms.get(room);
    if (meta === undefined) {
      meta = this.createRoom(this.statements(), room, Date.now());
      this.rooms.set(room, meta);
    }
    return stateOf(meta);
  }

  async roomState(room: string): Promise<RoomState | undefined> {
    const meta = this.rooms.get(room);
    return meta === undefined ? undefined : stateOf(meta);
  }

  async listRooms(): Promise<RoomState[]> {
    return Array.from(this.rooms.values(), stateOf);
  }

  async read(room: string, after: number, limit: number): Promise<MessageEvent[]> {
    const meta = this.rooms.get(room);
    if (meta === undefined || limit <= 0 || after >= meta.head) return [];
    return this.statements().read.all(room, after, limit);
  }

  /** From the FTS5 index (sqlite-search.ts): reads only this room's rows below `before`, newest first. */
  async search(room: string, query: SearchQuery): Promise<SearchPage> {
    const stmts = this.statements();
    const meta = this.rooms.get(room);
    if (meta === undefined || query.limit <= 0) return { results: [], more: false };
    const before = Math.min(query.before ?? meta.head + 1, meta.head + 1);
    const base = BigInt(meta.id) << SEQ_BITS;
    const hits = stmts.search.all(room, ftsQuery(query.terms), base, base + BigInt(before), query.limit + 1);
    return pageOf(hits, query.limit);
  }

  async close(): Promise<void> {
    if (!this.stopAppends()) return;
    if (this.pruneTimer !== undefined) clearInterval(this.pruneTimer);
    this.db?.close();
    this.db = undefined;
    await this.identity.close();
    this.stmts = undefined;
  }

  private statements(): Statements {
    if (this.stmts === undefined) {
      throw new ProtocolError(this.closed ? 'shutting_down' : 'unavailable', 'the store is not open');
    }
    return this.stmts;
  }

  /** Fills the cache; a `retain` lowered since the last run takes effect here. */
  private loadRooms(stmts: Statements): void {
    for (const { room, id, epoch } of stmts.rooms.all()) {
      const head = stmts.head.get(room) ?? 0;
      const meta = { room, id, epoch, head, tail: stmts.tail.get(room) ?? head + 1 };
      if (head - meta.tail + 1 > this.retain) {
        trimRoom(stmts, meta, head - this.retain + 1);
        meta.tail = head - this.retain + 1;
      }
      this.rooms.set(room, meta);
    }
  }

  /** Runs one batch in one transaction, then updates the cache and announces. */
  protected override commit(items: readonly AppendInput[]): Array<AppendResult | Rejected> {
    if (this.commitBatch === undefined) throw new ProtocolError('unavailable', 'the store is not open');
    const results = this.commitBatch(items);
    for (const work of this.work.values()) {
      const meta = work.meta;
      meta.head = work.head;
      meta.tail = Math.max(meta.tail, work.head - this.retain + 1);
      if (work.fresh) this.rooms.set(meta.room, meta);
    }
    announceBatch(this.emitter, this.work);
    this.work.clear();
    return results;
  }

  /** The body of the transaction: throws to roll the whole batch back. */
  private write(
    stmts: Statements,
    steps: AppendSteps<RoomWork, number>,
    items: readonly AppendInput[],
  ): Array<AppendResult | Rejected> {
    const results = appendBatch(items, this.work, steps);
    for (const work of this.work.values()) {
      const tail = work.head - this.retain + 1;
      if (tail > work.meta.tail) trimRoom(stmts, work.meta, tail);
    }
    return results;
  }

  /** Inserts a new room (the database gives it its index id) in the caller's transaction, if any. */
  private createRoom(stmts: Statements, room: string, ts: number): RoomMeta {
    const epoch = newEpoch();
    stmts.insertRoom.run(room, epoch, ts);
    const id = stmts.roomId.get(room);
    if (id === undefined) throw new Error(`room ${room} got no index id`);
    return { room, id, epoch, head: 0, tail: 1 };
  }

  /** How a batch reads and writes rows; the key handed from `lookup` to `store` is the text's hash. */
  private appendSteps(stmts: Statements): AppendSteps<RoomWork, number> {
    return {
      lookup: (input, cid, ts) => {
        const hash = textHash(input.text);
        // Rows written earlier in this batch are visible here: a retry in the same batch is a duplicate.
        const known = stmts.getCid.get(input.room, input.session ?? NO_SESSION, cid);
        if (known === undefined || known.ts + this.cidTtlMs <= ts) return hash;
        const message: MessageEvent = {
          type: 'message',
          room: input.room,
          seq: known.seq,
          nick: known.nick,
          cid,
          text: input.text,
          ts: known.ts,
        };
        return new Repeat(message, known.hash === hash);
      },
      openRoom: (room, ts) => {
        let meta = this.rooms.get(room);
        const fresh = meta === undefined;
        if (meta === undefined) meta = this.createRoom(stmts, room, ts);
        return { room, meta, fresh, head: meta.head, messages: [] };
      },
      store: (work, message, input, hash) => {
        stmts.insertMessage.run(message.room, message.seq, message.nick, message.cid, message.text, message.ts);
        stmts.indexMessage.run(work.meta.id, message.seq, message.text);
        if (hash !== undefined) {
          stmts.putCid.run(
            message.room,
            input.session ?? NO_SESSION,
            message.cid,
            hash,
            message.seq,
            message.nick,
            message.ts,
          );
        }
      },
    };
  }

  /** Deletes one chunk of expired cids; keeps going on later ticks while chunks come back full. */
  private prune(): void {
    if (this.stmts === undefined) return;
    const { changes } = this.stmts.pruneCids.run(Date.now() - this.cidTtlMs, PRUNE_CHUNK);
    if (changes === PRUNE_CHUNK) setImmediate(() => this.prune());
  }
}

/**
 * Deletes the room's messages below `tail` and their index rows; the cached
 * `meta.tail` is the lowest seq still stored. Every message that leaves the
 * log leaves through here, so the index never holds a trimmed message.
 */
function trimRoom(stmts: Statements, meta: RoomMeta, tail: number): void {
  for (let seq = meta.tail; seq < tail; seq++) stmts.unindexMessage.run(meta.id, seq);
  stmts.trim.run(meta.room, tail);
}

function stateOf(meta: RoomMeta): RoomState {
  return { room: meta.room, epoch: meta.epoch, head: meta.head, tail: meta.tail };
}
