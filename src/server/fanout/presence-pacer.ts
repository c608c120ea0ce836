import { LIMITS, type PresenceEvent } from '../../protocol/index.js';
import { EncodedEvent } from './encoded-event.js';
import type { Logger } from '../logger.js';
import type { Store } from '../stores/store.js';

export interface PresencePacerOptions {
  store: Store;
  logger: Logger;
  /** Shortest gap between two presence events of one room, in ms. Default 1000 (`LIMITS.presenceIntervalMs`). */
  intervalMs?: number;
  /** Rooms with more members send only the count. Default 100 (`LIMITS.presenceListMax`). */
  listMax?: number;
  /** Whether this node still has readers in the room; a room nobody here reads is not read at all. */
  isLive(room: string): boolean;
  /** Hands one encoded event to every reader of the room. */
  publish(room: string, event: EncodedEvent, version: number): void;
}

interface Pace {
  /** When the last event was read (ms); the next may not come before `lastAt + intervalMs`. */
  lastAt: number;
  /** A change arrived since the last read. */
  dirty: boolean;
  reading: boolean;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Paces presence per room, as protocol 1.1 says: the first change after a
 * quiet interval is announced at once; further changes within the interval
 * fold into one event, read from the store when the interval ends, that
 * carries the state at that moment. So a room's presence costs one store
 * read (of at most `listMax` members) and one encoded event per interval,
 * however many members join or leave: O(changes) work, never
 * O(members × changes).
 */
export class PresencePacer {
  private readonly opts: PresencePacerOptions;
  readonly intervalMs: number;
  readonly listMax: number;
  private readonly paces = new Map<string, Pace>();
  private closed = false;

  constructor(options: PresencePacerOptions) {
    this.opts = options;
    this.intervalMs = options.intervalMs ?? LIMITS.presenceIntervalMs;
    this.listMax = options.listMax ?? LIMITS.presenceListMax;
  }

  /** The store announced a change (or, without a version, a possible one). */
  changed(room: string): void {
    if (this.closed || !this.opts.isLive(room)) return;
    let pace = this.paces.get(room);
    if (pace === undefined) {
      pace = { lastAt: 0, dirty: false, reading: false, timer: undefined };
      this.paces.set(room, pace);
    }
    pace.dirty = true;
    this.schedule(room, pace);
  }

  /** The room's presence as an event: the list up to `listMax` members, else the count alone. */
  async read(room: string): Promise<{ event: EncodedEvent; version: number }> {
    const snap = await this.opts.store.presence(room, { offset: 0, limit: this.listMax });
    const truncated = snap.count > this.listMax;
    const ev: PresenceEvent = { type: 'presence', room, version: snap.version, count: snap.count, members: [] };
    if (truncated) ev.truncated = true;
    else ev.members = snap.members;
    return { event: new EncodedEvent(ev), version: snap.version };
  }

  close(): void {
    this.closed = true;
    for (const pace of this.paces.values()) clearTimeout(pace.timer);
    this.paces.clear();
  }

  private schedule(room: string, pace: Pace): void {
    if (pace.reading || pace.timer !== undefined) return;
    const wait = pace.lastAt + this.intervalMs - Date.now();
    if (wait <= 0) void this.announce(room, pace);
    else pace.timer = setTimeout(() => void this.announce(room, pace), wait).unref();
  }

  private async announce(room: string, pace: Pace): Promise<void> {
    pace.timer = undefined;
    if (this.closed || !pace.dirty) return;
    pace.dirty = false;
    pace.reading = true;
    pace.lastAt = Date.now();
    try {
      if (this.opts.isLive(room)) {
        const { event, version } = await this.read(room);
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may come during the read
        if (!this.closed) this.opts.publish(room, event, version);
      }
    } catch (err) {
      // The store is away: try again after the interval; the last event still matches once it is back.
      this.opts.logger.warn({ err, room }, 'presence read failed');
      pace.dirty = true;
    } finally {
      pace.reading = false;
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may come during the read
    if (this.closed) return;
    // The next event may not come before the interval ends; a room that stays quiet until then is forgotten.
    pace.timer = setTimeout(
      () => {
        pace.timer = undefined;
        if (pace.dirty) void this.announce(room, pace);
        else if (!pace.reading) this.paces.delete(room);
      },
      Math.max(0, pace.lastAt + this.intervalMs - Date.now()),
    ).unref();
  }
}
