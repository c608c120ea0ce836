/**
 * The connection life cycle: first connect, `auto` fallback (ws → sse →
 * longpoll, each bounded by the connect timeout), reconnect with backoff
 * and failover across servers, fatal 401, and live reopening (switch of
 * transport, room or nick) where the new transport opens from the cursor
 * before the old one closes, so the overlap loses nothing.
 */
import { VIAS, type RoomEvent, type Via } from '../protocol/index.js';
import type { Backoff } from './backoff.js';
import type { ConnectionStateMachine } from './connection-state.js';
import { ClientError, toClientError } from './errors.js';
import type { Transport, TransportFactory, TransportOptions } from './transports/transport.js';
import type { ViaChoice } from './types.js';
import { deferred, type Deferred } from '../util/async.js';

export interface LifecycleOptions {
  servers: string[];
  choice: ViaChoice;
  factories: Record<Via, TransportFactory>;
  /** Bound on one transport's open, ms. */
  connectTimeoutMs: number;
  backoff: Backoff;
  /** Failed attempts in a row before going offline; unbounded when absent. */
  maxAttempts?: number;
  state: ConnectionStateMachine;
  transportOptions: (server: string) => TransportOptions;
  onEvent: (event: RoomEvent) => void;
  /** `fresh` is false when a live reopen replaced a working transport. */
  onOnline: (transport: Transport, fresh: boolean) => void;
  onOffline: () => void;
  onVia: (change: { from: Via | undefined; to: Via }) => void;
  onWarning: (warning: string) => void;
}

export class Lifecycle {
  current: Transport | undefined;
  /** Transports whose events count: the current one and any being opened. */
  private readonly live = new Set<Transport>();
  private preferred: Via;
  private pinned: boolean;
  private adoptedVia: Via | undefined;
  private serverIndex = 0;
  private running = false;
  /** Bumped to cancel a running connect loop. */
  private generation = 0;
  private wake: (() => void) | undefined;
  /** Settles start(): online, or a ClientError that retrying cannot fix. */
  private started: Deferred<void> | undefined;

  constructor(private readonly o: LifecycleOptions) {
    this.pinned = o.choice !== 'auto';
    this.preferred = o.choice === 'auto' ? 'ws' : o.choice;
  }

  get via(): Via {
    return this.current?.via ?? this.preferred;
  }

  private get server(): string {
    return this.o.servers[this.serverIndex] ?? '';
  }

  start(): Promise<void> {
    if (this.started) return this.started.promise;
    const started = deferred<void>();
    // Callers that only listen to events must not see an unhandled rejection.
    started.promise.catch(() => undefined);
    this.started = started;
    this.running = true;
    void this.loop(undefined);
    return started.promise;
  }

  stop(): void {
    this.running = false;
    this.cancelLoop();
    this.dropAll();
    this.o.onOffline();
    this.o.state.set({ name: 'offline', reason: 'stopped' });
    this.started?.reject(new ClientError('closed', 'client stopped'));
    this.started = undefined;
  }

  /**
   * Opens `via` from the current position, then retires the old transport.
   * `pin` (a user's explicit choice) turns `auto` fallback off from now on.
   */
  async reopen(via: Via, pin: boolean): Promise<void> {
    if (!this.o.factories[via]) throw new ClientError('bad_request', `no ${via} transport`);
    if (pin) this.pinned = true;
    const changed = via !== this.preferred;
    this.preferred = via;
    if (!this.running) return;
    const online = this.current !== undefined;
    if (!online) {
      // Not online: the next attempt uses the new room or nick anyway; a new
      // transport is worth trying at once, skipping the backoff wait.
      if (changed) void this.loop(`switching to ${via}`, true);
      return;
    }
    const t = await this.open(this.server, via);
    if (!this.running) {
      this.retire(t);
      return;
    }
    // Whatever happened meanwhile (a drop and a reconnect loop, another
    // reopen), this one wins and whatever is current now is retired.
    this.cancelLoop();
    const previous = this.current;
    this.adopt(t, previous === undefined);
    if (previous && previous !== t) this.retire(previous);
  }

  /** Drops the current transport and reconnects at once (e.g. it serves a room we left). */
  restart(reason: string): void {
    if (!this.running) return;
    if (this.current) this.retire(this.current);
    this.o.onOffline();
    void this.loop(reason, true);
  }

  private async loop(firstReason: string | undefined, immediate = false): Promise<void> {
    const gen = this.cancelLoop();
    let reason = firstReason;
    let retry = 0;
    let failures = 0;
    while (this.running && gen === this.generation) {
      if (reason === undefined) {
        this.o.state.set({ name: 'connecting', via: this.preferred, server: this.server });
      } else {
        retry++;
        const delay = immediate && retry === 1 ? 0 : this.o.backoff.delay(retry - 1);
        const at = Date.now() + delay;
        this.o.state.set({ name: 'reconnecting', via: this.preferred, server: this.server, attempt: retry, nextInMs: delay, at, reason });
        await this.sleep(delay);
        if (!this.running || gen !== this.generation) return;
      }
      try {
        const t = await this.openAny(gen, reason === undefined);
        if (!this.running || gen !== this.generation) {
          this.retire(t);
          return;
        }
        this.adopt(t, true);
        return;
      } catch (raw) {
        if (!this.running || gen !== this.generation) return;
        const err = toClientError(raw);
        if (err.code === 'unauthorized') return this.fatal(err);
        failures++;
        reason = err.message;
        // Fail over: the next attempt goes to the next server.
        this.serverIndex = (this.serverIndex + 1) % this.o.servers.length;
        if (this.o.maxAttempts !== undefined && failures >= this.o.maxAttempts) {
          return this.fatal(new ClientError('unreachable', `gave up after ${failures} attempts: ${err.message}`));
        }
      }
    }
  }

  /** With `auto` (not pinned), tries the preferred transport, then the others in order. */
  private async openAny(gen: number, first: boolean): Promise<Transport> {
    const vias = this.pinned ? [this.preferred] : [this.preferred, ...VIAS.filter((v) => v !== this.preferred)];
    let last: ClientError | undefined;
    for (const via of vias) {
      if (!this.running || gen !== this.generation) break;
      if (first) this.o.state.set({ name: 'connecting', via, server: this.server });
      try {
        return await this.open(this.server, via);
      } catch (raw) {
        last = toClientError(raw);
        if (last.code === 'unauthorized') throw last;
        if (vias.length > 1) this.o.onWarning(`${via} failed on ${this.server}: ${last.message}`);
      }
    }
    throw last ?? new ClientError('closed', 'connect cancelled');
  }

  private async open(server: string, via: Via): Promise<Transport> {
    const factory = this.o.factories[via];
    const t: Transport = factory(this.o.transportOptions(server), {
      onEvent: (event) => {
        if (this.live.has(t)) this.o.onEvent(event);
      },
      onDown: (err) => this.onDown(t, err),
    });
    this.live.add(t);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        t.open(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ClientError('timeout', `${via} did not connect within ${this.o.connectTimeoutMs} ms`)), this.o.connectTimeoutMs);
        }),
      ]);
      // It may have died between establishing and now; onDown already dropped it.
      if (!this.live.has(t)) throw new ClientError('closed', `${via} dropped while opening`);
      return t;
    } catch (err) {
      this.retire(t);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private adopt(t: Transport, fresh: boolean): void {
    this.current = t;
    this.live.add(t);
    if (!this.pinned) this.preferred = t.via;
    this.o.state.set({ name: 'online', via: t.via, server: this.server });
    if (this.adoptedVia !== t.via) {
      this.o.onVia({ from: this.adoptedVia, to: t.via });
      this.adoptedVia = t.via;
    }
    this.o.onOnline(t, fresh);
    this.started?.resolve();
  }

  private onDown(t: Transport, err: ClientError): void {
    this.live.delete(t);
    if (t !== this.current) return;
    this.current = undefined;
    this.o.onOffline();
    if (!this.running) return;
    if (err.code === 'unauthorized') return this.fatal(err);
    void this.loop(err.message);
  }

  private fatal(err: ClientError): void {
    this.running = false;
    this.cancelLoop();
    this.dropAll();
    this.o.onOffline();
    this.o.state.set({ name: 'offline', reason: err.code });
    this.o.onWarning(err.message);
    this.started?.reject(err);
    this.started = undefined;
  }

  private retire(t: Transport): void {
    this.live.delete(t);
    if (this.current === t) this.current = undefined;
    t.close();
  }

  private dropAll(): void {
    for (const t of this.live) t.close();
    this.live.clear();
    this.current = undefined;
  }

  /** Cancels a running loop (and its wait); returns the new generation. */
  private cancelLoop(): number {
    this.generation++;
    this.wake?.();
    return this.generation;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
