/**
 * What the single-process stores (memory, SQLite) share around their logs:
 * option defaults, group commit of appends, in-process presence and fan-out.
 * A subclass keeps the rooms and messages and says how a batch is committed.
 */
import { LIMITS, ProtocolError, type MessageEvent } from '../../../protocol/index.js';
import { GroupCommit, type Rejected } from './group-commit.js';
import { LocalPresence } from './local-presence.js';
import { checkRetain } from './retention.js';
import { StoreEmitter } from '../store-emitter.js';
import type { IdentityStore } from '../identity-store.js';
import type {
  AppendInput,
  AppendResult,
  PresenceEntry,
  PresencePage,
  PresenceSnapshot,
  RoomState,
  SearchPage,
  SearchQuery,
  Store,
  StoreListener,
} from '../store.js';

export interface LocalStoreOptions {
  /** Messages kept per room, at least 1. Default `LIMITS.retain` (100000). */
  retain?: number;
  /** How long a cid stays idempotent, in ms. Default `LIMITS.cidTtlMs` (10 minutes). */
  cidTtlMs?: number;
  /** Where errors thrown by subscribers go. Default: a process warning. */
  onListenerError?: (err: unknown) => void;
}

export abstract class LocalStore implements Store {
  readonly writable = true;
  protected readonly retain: number;
  protected readonly cidTtlMs: number;
  protected readonly emitter: StoreEmitter;
  protected closed = false;
  private readonly presenceState: LocalPresence;
  private readonly batches = new GroupCommit<AppendInput, AppendResult>((items) => this.commit(items));

  constructor(options: LocalStoreOptions) {
    this.retain = checkRetain(options.retain ?? LIMITS.retain);
    this.cidTtlMs = options.cidTtlMs ?? LIMITS.cidTtlMs;
    this.emitter = new StoreEmitter(options.onListenerError);
    this.presenceState = new LocalPresence((room, version) => this.emitter.emit({ kind: 'presence', room, version }));
  }

  abstract readonly identity: IdentityStore;
  abstract open(): Promise<void>;
  abstract ensureRoom(room: string): Promise<RoomState>;
  abstract roomState(room: string): Promise<RoomState | undefined>;
  abstract listRooms(): Promise<RoomState[]>;
  abstract read(room: string, after: number, limit: number): Promise<MessageEvent[]>;
  abstract search(room: string, query: SearchQuery): Promise<SearchPage>;
  abstract close(): Promise<void>;

  append(input: AppendInput): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new ProtocolError('shutting_down', 'the store is closed'));
    return this.batches.push(input);
  }

  async presenceUpsert(room: string, entry: PresenceEntry): Promise<void> {
    this.presenceState.upsert(room, entry);
  }

  async presenceRemove(room: string, key: string): Promise<void> {
    this.presenceState.remove(room, key);
  }

  async presence(room: string, page: PresencePage): Promise<PresenceSnapshot> {
    return this.presenceState.page(room, page);
  }

  subscribe(listener: StoreListener): () => void {
    return this.emitter.subscribe(listener);
  }

  /**
   * The first step of `close`: commits the appends still queued, then refuses
   * new ones. False when the store was closed already.
   */
  protected stopAppends(): boolean {
    if (this.closed) return false;
    this.batches.flush();
    this.closed = true;
    return true;
  }

  /** Commits one batch: one outcome per item, in order; throwing fails the whole batch. */
  protected abstract commit(items: readonly AppendInput[]): Array<AppendResult | Rejected>;
}
