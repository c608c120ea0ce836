/** Test helpers shared by the store suites: an event recorder and unique room names. */
import { randomBytes } from 'node:crypto';
import type { MessageEvent } from '../../src/protocol/index.js';
import type { StoreEvent } from '../../src/server/stores/store.js';

/** Resolves with the first event (already seen or future) matching `match`, or fails after `ms`. */
export class EventLog {
  readonly events: StoreEvent[] = [];
  private waiters: Array<() => void> = [];
  readonly listener = (event: StoreEvent): void => {
    this.events.push(event);
    for (const wake of this.waiters) wake();
  };

  async until<T extends StoreEvent>(match: (e: StoreEvent) => e is T, ms?: number): Promise<T>;
  async until(match: (e: StoreEvent) => boolean, ms?: number): Promise<StoreEvent>;
  async until(match: (e: StoreEvent) => boolean, ms = 5000): Promise<StoreEvent> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.events.find(match);
        if (found === undefined) return false;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve(found);
        return true;
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        reject(new Error(`no matching store event within ${ms} ms`));
      }, ms);
      if (!check()) this.waiters.push(wake);
    });
  }

  messages(room: string): MessageEvent[] {
    return this.events.flatMap((e) => (e.kind === 'messages' && e.room === room ? e.messages : []));
  }

  /** The room's presence announcements (versions only: members are read from the store). */
  presence(room: string): Array<{ room: string; version?: number | undefined }> {
    return this.events.flatMap((e) => (e.kind === 'presence' && e.room === room ? [e] : []));
  }
}

export function uniqueRoom(prefix = 'r'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}
