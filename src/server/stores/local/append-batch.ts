/**
 * The part of a group commit that every single-process store shares: the
 * idempotency decision for each send, the building of new messages with
 * contiguous seqs, and the grouping of a batch's new messages per room (the
 * hub is told once per room per batch). Where messages and idempotency keys
 * live is the store's business, reached through `AppendSteps`.
 */
import type { MessageEvent } from '../../../protocol/index.js';
import { newServerCid } from '../epoch.js';
import { Rejected } from './group-commit.js';
import { cidConflict } from '../idempotency.js';
import type { StoreEmitter } from '../store-emitter.js';
import type { AppendInput, AppendResult } from '../store.js';

/** One room's share of a batch. */
export interface BatchRoom {
  readonly room: string;
  /** Highest seq of the room, this batch's messages included. */
  head: number;
  /** This batch's new messages for the room, in seq order. */
  readonly messages: MessageEvent[];
}

/** A send whose idempotency key is known and still inside its TTL. */
export class Repeat {
  constructor(
    /** The message stored under the key the first time. */
    readonly message: MessageEvent,
    /** Whether the retry carries the same text (else it is a conflict). */
    readonly sameText: boolean,
  ) {}
}

/**
 * @typeParam W - the store's per-room share of a batch.
 * @typeParam K - what `lookup` hands on to `store` for a keyed send (the map key,
 *   a text hash…), so that it is computed once per send.
 */
export interface AppendSteps<W extends BatchRoom, K> {
  /**
   * Looks the key `(input.room, input.session, cid)` up: a `Repeat` when it is
   * still idempotent at `ts`, else what `store` needs to remember it. Sends
   * stored earlier in the same batch must be visible here, so that a retry
   * inside one batch is a duplicate.
   */
  lookup(input: AppendInput, cid: string, ts: number): Repeat | K;
  /** The room's share of the batch, made on its first new message in the batch (creating the room if needed). */
  openRoom(room: string, ts: number): W;
  /** Stores one new message, and remembers its key when `input` had a cid (`key` is then set); called in seq order. */
  store(work: W, message: MessageEvent, input: AppendInput, key: K | undefined): void;
}

/**
 * Runs one batch: one outcome per item, in order. `rooms` is cleared and left
 * holding every room that got new messages, for the caller to trim and announce.
 */
export function appendBatch<W extends BatchRoom, K>(
  items: readonly AppendInput[],
  rooms: Map<string, W>,
  steps: AppendSteps<W, K>,
): Array<AppendResult | Rejected> {
  const ts = Date.now();
  const results: Array<AppendResult | Rejected> = [];
  rooms.clear();
  for (const input of items) {
    let key: K | undefined;
    if (input.cid !== undefined) {
      const found = steps.lookup(input, input.cid, ts);
      if (found instanceof Repeat) {
        results.push(found.sameText ? { status: 'duplicate', message: found.message } : new Rejected(cidConflict()));
        continue;
      }
      key = found;
    }
    let work = rooms.get(input.room);
    if (work === undefined) rooms.set(input.room, (work = steps.openRoom(input.room, ts)));
    const message: MessageEvent = {
      type: 'message',
      room: input.room,
      seq: ++work.head,
      nick: input.nick,
      cid: input.cid ?? newServerCid(),
      text: input.text,
      ts,
    };
    steps.store(work, message, input, key);
    work.messages.push(message);
    results.push({ status: 'created', message });
  }
  return results;
}

/** Tells the subscribers about each room's new messages, one event per room. */
export function announceBatch(emitter: StoreEmitter, rooms: ReadonlyMap<string, BatchRoom>): void {
  for (const work of rooms.values()) {
    if (work.messages.length > 0) emitter.emit({ kind: 'messages', room: work.room, messages: work.messages });
  }
}
