/**
 * Group commit for Redis: every send queued in one event-loop tick goes out as
 * one APPEND script call per room (per MAX_BATCH sends), so a busy room costs
 * one round trip per tick, not one per message.
 */
import type { Redis } from 'ioredis';
import { LIMITS, type MessageEvent } from '../../../protocol/index.js';
import { cidConflict } from '../idempotency.js';
import { newEpoch, newServerCid } from '../epoch.js';
import type { AppendInput, AppendResult, RoomState } from '../store.js';
import { toStoreError } from './errors.js';
import type { KeySpace } from './keys.js';
import { LuaScript } from './lua-script.js';
import { asArray, asInt, asString } from './parse.js';
import { APPEND_LUA } from './scripts.js';

const APPEND = new LuaScript(APPEND_LUA);

/** Sends per script call; bounds how long one call holds Redis. */
const MAX_BATCH = 256;

export interface AppendBatcherOptions {
  redis: () => Redis;
  keys: KeySpace;
  retain: number;
  /** Told the room state each committed batch left behind. */
  onState(state: RoomState): void;
}

interface PendingAppend {
  input: AppendInput;
  resolve(result: AppendResult): void;
  reject(err: unknown): void;
}

export class AppendBatcher {
  private readonly opts: AppendBatcherOptions;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly inflight = new Set<Promise<void>>();

  constructor(options: AppendBatcherOptions) {
    this.opts = options;
  }

  append(input: AppendInput): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Sends what is queued and waits for every call in flight. */
  async drain(): Promise<void> {
    if (this.queue.length > 0) this.flush();
    await Promise.allSettled([...this.inflight]);
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const byRoom = new Map<string, PendingAppend[]>();
    for (const p of batch) {
      const list = byRoom.get(p.input.room);
      if (list === undefined) byRoom.set(p.input.room, [p]);
      else list.push(p);
    }
    for (const [room, list] of byRoom) {
      // Chunks of one room go out in order on one connection, so they commit in order.
      for (let i = 0; i < list.length; i += MAX_BATCH) {
        const job = this.commit(room, list.slice(i, i + MAX_BATCH));
        this.inflight.add(job);
        void job.finally(() => this.inflight.delete(job));
      }
    }
  }

  private async commit(room: string, list: PendingAppend[]): Promise<void> {
    const { keys: ks, retain } = this.opts;
    const k = ks.room(room);
    const keys = [k.meta, k.log, ks.rooms];
    const args: (string | number)[] = [room, newEpoch(), retain, LIMITS.cidTtlMs, ks.channel, list.length];
    const cids: string[] = [];
    for (const { input } of list) {
      let index = 0;
      if (input.cid !== undefined) {
        keys.push(ks.cid(room, input.session, input.cid));
        index = keys.length;
      }
      const cid = input.cid ?? newServerCid();
      cids.push(cid);
      args.push(index, cid, input.nick, input.text);
    }
    let results: unknown[];
    try {
      const reply = asArray(await APPEND.run(this.opts.redis(), keys, args), 'append');
      this.opts.onState({
        room,
        epoch: asString(reply[0], 'epoch'),
        head: asInt(reply[1], 'head'),
        tail: asInt(reply[2], 'tail'),
      });
      results = asArray(reply[3], 'append results');
    } catch (err) {
      const e = toStoreError(err);
      for (const p of list) p.reject(e);
      return;
    }
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      try {
        const [status, seq, ts, nick] = asArray(results[i], 'append result');
        if (status === 2) {
          p.reject(cidConflict());
          continue;
        }
        const message: MessageEvent = {
          type: 'message',
          room,
          seq: asInt(seq, 'seq'),
          nick: asString(nick, 'nick'),
          cid: cids[i]!,
          text: p.input.text,
          ts: asInt(ts, 'ts'),
        };
        p.resolve({ status: status === 1 ? 'duplicate' : 'created', message });
      } catch (err) {
        p.reject(err);
      }
    }
  }
}
