import type { MessageEvent } from '../../../protocol/index.js';
import { announceBatch, appendBatch, Repeat, type AppendSteps, type BatchRoom } from './append-batch.js';
import { newEpoch } from '../epoch.js';
import type { Rejected } from './group-commit.js';
import { idempotencyKey } from '../idempotency.js';
import { LocalStore, type LocalStoreOptions } from './local-store.js';
import { MemoryIdentity } from './memory-identity.js';
import { SearchScan } from '../search-page.js';
import type { AppendInput, AppendResult, RoomState, SearchPage, SearchQuery } from '../store.js';

/** Retention, cid TTL and listener errors; see `LocalStoreOptions` for the defaults. */
export type MemoryStoreOptions = LocalStoreOptions;

interface RoomLog {
  room: string;
  epoch: string;
  head: number;
  /** Retained messages are `messages[start..]`; the prefix waits for compaction. */
  messages: MessageEvent[];
  start: number;
}

/** One room's share of a batch. */
interface LogWork extends BatchRoom {
  log: RoomLog;
}

/** Sweeping expired cids this often keeps the map bounded off the hot path. */
const CID_SWEEP_MS = 30_000;

/**
 * Everything in one process's memory: nothing survives a restart (rooms get a
 * new epoch per process, which tells reconnecting clients to start over).
 * Appends are batched per tick like SqliteStore's, so the hub sees the same
 * event shapes from both.
 */
export class MemoryStore extends LocalStore {
  readonly identity = new MemoryIdentity();
  private readonly rooms = new Map<string, RoomLog>();
  /** Idempotency key to the original message, in insertion (and so time) order. */
  private readonly cids = new Map<string, MessageEvent>();
  /** Rooms touched by the batch being committed; reused from batch to batch. */
  private readonly work = new Map<string, LogWork>();
  private readonly steps: AppendSteps<LogWork, string> = {
    lookup: (input, cid, ts) => this.lookup(input, cid, ts),
    openRoom: (room) => {
      const log = this.log(room);
      return { room, head: log.head, messages: [], log };
    },
    store: (work, message, _input, key) => this.store(work, message, key),
  };
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    super(options);
  }

  async open(): Promise<void> {
    if (this.sweepTimer !== undefined) return;
    this.sweepTimer = setInterval(() => this.sweepCids(Date.now()), CID_SWEEP_MS);
    this.sweepTimer.unref();
  }

  async ensureRoom(room: string): Promise<RoomState> {
    return stateOf(this.log(room));
  }

  async roomState(room: string): Promise<RoomState | undefined> {
    const log = this.rooms.get(room);
    return log === undefined ? undefined : stateOf(log);
  }

  async listRooms(): Promise<RoomState[]> {
    return Array.from(this.rooms.values(), stateOf);
  }

  async read(room: string, after: number, limit: number): Promise<MessageEvent[]> {
    const log = this.rooms.get(room);
    if (log === undefined || limit <= 0) return [];
    const tail = log.head - (log.messages.length - log.start) + 1;
    // Seqs are contiguous, so the message with seq s sits at start + (s - tail).
    const from = log.start + Math.max(0, Math.floor(after) + 1 - tail);
    return log.messages.slice(from, from + limit);
  }

  /** A scan of the retained log from `before` down: O(retained) at worst, fine for a store that holds it all in RAM. */
  async search(room: string, query: SearchQuery): Promise<SearchPage> {
    const log = this.rooms.get(room);
    if (log === undefined || query.limit <= 0) return { results: [], more: false };
    const scan = new SearchScan(query);
    const tail = log.head - (log.messages.length - log.start) + 1;
    const before = Math.min(query.before ?? log.head + 1, log.head + 1);
    for (let i = log.start + (before - 1 - tail); i >= log.start && scan.take(log.messages[i]!); i--);
    return scan.page();
  }

  async close(): Promise<void> {
    if (!this.stopAppends()) return;
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
  }

  private log(room: string): RoomLog {
    let log = this.rooms.get(room);
    if (log === undefined) {
      log = { room, epoch: newEpoch(), head: 0, messages: [], start: 0 };
      this.rooms.set(room, log);
    }
    return log;
  }

  protected override commit(items: readonly AppendInput[]): Array<AppendResult | Rejected> {
    const results = appendBatch(items, this.work, this.steps);
    for (const work of this.work.values()) this.trim(work.log);
    announceBatch(this.emitter, this.work);
    this.work.clear();
    return results;
  }

  /** A repeat, or the map key under which the new message is to be remembered. */
  private lookup(input: AppendInput, cid: string, ts: number): Repeat | string {
    const key = idempotencyKey(input.room, input.session, cid);
    const original = this.cids.get(key);
    if (original !== undefined) {
      if (original.ts + this.cidTtlMs > ts) return new Repeat(original, original.text === input.text);
      // An expired key is forgotten: delete first so that the new entry moves to the end.
      this.cids.delete(key);
    }
    return key;
  }

  private store(work: LogWork, message: MessageEvent, key: string | undefined): void {
    work.log.messages.push(message);
    work.log.head = message.seq;
    if (key !== undefined) this.cids.set(key, message);
  }

  private trim(log: RoomLog): void {
    const excess = log.messages.length - log.start - this.retain;
    if (excess > 0) log.start += excess;
    // Compact only once the dead prefix is large, so trimming stays O(1) amortized.
    if (log.start > 1024 && log.start * 2 > log.messages.length) {
      log.messages = log.messages.slice(log.start);
      log.start = 0;
    }
  }

  private sweepCids(now: number): void {
    for (const [key, message] of this.cids) {
      if (message.ts + this.cidTtlMs > now) break;
      this.cids.delete(key);
    }
  }
}

function stateOf(log: RoomLog): RoomState {
  const retained = log.messages.length - log.start;
  return { room: log.room, epoch: log.epoch, head: log.head, tail: log.head - retained + 1 };
}
