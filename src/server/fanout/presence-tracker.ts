import type { Via } from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import type { Store } from '../stores/store.js';

interface Held {
  room: string;
  key: string;
  nick: string;
  via: Via;
  since: number;
  count: number;
}

/**
 * Reference counts of present members per (room, key): a session on two
 * sockets, or one that switches transports, stays one member and leaves only
 * when its last connection does. The store holds the shared member list
 * and announces changes; this only decides when to call it. Store failures
 * are logged, never thrown: presence must not fail a join or a poll.
 */
export class PresenceTracker {
  private readonly held = new Map<string, Held>();
  private readonly store: Store;
  private readonly logger: Logger;

  constructor(options: { store: Store; logger: Logger }) {
    this.store = options.store;
    this.logger = options.logger;
  }

  /** Resolves when the store has the member (so a following snapshot includes it). */
  acquire(room: string, key: string, nick: string, via: Via): Promise<void> {
    const id = room + '\u0000' + key;
    let h = this.held.get(id);
    if (h !== undefined) {
      h.count++;
      if (h.nick === nick && h.via === via) return Promise.resolve();
      h.nick = nick;
      h.via = via;
    } else {
      h = { room, key, nick, via, since: Date.now(), count: 1 };
      this.held.set(id, h);
    }
    return this.upsert(h);
  }

  /** A held member's new nick (a `/nick` on a long poll), without taking another reference. */
  rename(room: string, key: string, nick: string): Promise<void> {
    const h = this.held.get(room + '\u0000' + key);
    if (h === undefined || h.nick === nick) return Promise.resolve();
    h.nick = nick;
    return this.upsert(h);
  }

  release(room: string, key: string): void {
    const id = room + '\u0000' + key;
    const h = this.held.get(id);
    if (h === undefined) return;
    if (--h.count > 0) return;
    this.held.delete(id);
    this.store.presenceRemove(room, key).catch((err: unknown) => {
      this.logger.warn({ err, room }, 'presence remove failed');
    });
  }

  /** Removes every member this server holds (shutdown). */
  async removeAll(): Promise<void> {
    const all = [...this.held.values()];
    this.held.clear();
    await Promise.allSettled(all.map((h) => this.store.presenceRemove(h.room, h.key)));
  }

  get size(): number {
    return this.held.size;
  }

  private upsert(h: Held): Promise<void> {
    return this.store
      .presenceUpsert(h.room, { key: h.key, nick: h.nick, via: h.via, since: h.since })
      .catch((err: unknown) => {
        this.logger.warn({ err, room: h.room }, 'presence upsert failed');
      });
  }
}
