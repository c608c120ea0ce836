/**
 * The connection life cycle: first connect, `auto` fallback (ws → sse →
 * longpoll, each bounded by the connect timeout), reconnect with backoff
 * and failover across servers, fatal 401, and live reopening (switch of
 * transport, room or nick) where the new transport opens from the cursor
 * before the old one closes, so the overlap loses nothing.
 */
import { VIAS, type Via } from '../protocol/index.js';
import type { Backoff } from './backoff.js';
import type { ConnectionStateMachine } from './connection-state.js';
import { ClientError, isFatalError, toClientError } from './errors.js';
import { LoopGeneration } from './loop-generation.js';
import type { StreamEvent, Transport, TransportFactory, TransportOptions } from './transports/transport.js';
import type { ViaChoice } from './types.js';
import { deferred, withTimeout, type Deferred } from '../util/async.js';

export interface LifecycleOptions {
  /** Base URLs, tried in order; a failed attempt moves on to the next (round the list). */
  servers: string[];
  /** A transport to keep to, or `auto`: ws, then sse, then longpoll. */
  choice: ViaChoice;
  /** One factory per transport kind. */
  factories: Record<Via, TransportFactory>;
  /** Bound on one transport's open, ms. */
  connectTimeoutMs: number;
  /** Delays between reconnect attempts (full jitter). */
  backoff: Backoff;
  /** Failed attempts in a row before going offline; unbounded when absent. */
  maxAttempts?: number;
  /** Where every state change is announced. */
  state: ConnectionStateMachine;
  /** What the next transport to `server` opens with (it reads the cursor at call time). */
  transportOptions: (server: string) => TransportOptions;
  /** Every room event (and `dm` notice) of the transports that count (current or opening), duplicates included. */
  onEvent: (event: StreamEvent) => void;
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
  /** Bumped to cancel a running connect loop and its wait. */
  private readonly loops = new LoopGeneration();
  private started: Deferred<void> | undefined;
  /** The last fallback warning, not repeated while it stays the same. */
  private lastFallback: string | undefined;

  constructor(private readonly options: LifecycleOptions) {
    this.pinned = options.choice !== 'auto';
    this.preferred = options.choice === 'auto' ? 'ws' : options.choice;
  }

  get via(): Via {
    return this.current?.via ?? this.preferred;
  }

  /** The server in use, or the one being tried. */
  get server(): string {
    return this.options.servers[this.serverIndex] ?? '';
  }

  start(): Promise<void> {
    if (this.started) return this.started.promise;
    const started = deferred();
    // Callers that only listen to events must not see an unhandled rejection.
    started.promise.catch(() => undefined);
    this.started = started;
    this.running = true;
    void this.loop(undefined);
    return started.promise;
  }

  stop(): void {
    this.running = false;
    this.loops.next();
    this.dropAll();
    this.options.onOffline();
    this.options.state.set({ name: 'offline', reason: 'stopped' });
    this.started?.reject(new ClientError('closed', 'client stopped'));
    this.started = undefined;
  }

  /**
   * Opens `via` from the current position, then retires the old transport.
   * `pin` (a user's explicit choice) turns `auto` fallback off from now on.
   */
  async reopen(via: Via, pin: boolean): Promise<void> {
    if (!(via in this.options.factories)) throw new ClientError('bad_request', `no ${via} transport`);
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
    if (this.superseded()) {
      this.retire(t);
      return;
    }
    // Whatever happened meanwhile (a drop and a reconnect loop, another
    // reopen), this one wins and whatever is current now is retired.
    this.loops.next();
    const previous = this.current;
    this.adopt(t, previous === undefined);
    if (previous && previous !== t) this.retire(previous);
  }

  /** Drops the current transport and reconnects at once (e.g. it serves a room we left). */
  restart(reason: string): void {
    if (!this.running) return;
    if (this.current) this.retire(this.current);
    this.options.onOffline();
    void this.loop(reason, true);
  }

  private async loop(firstReason: string | undefined, immediate = false): Promise<void> {
    const gen = this.loops.next();
    let reason = firstReason;
    let retry = 0;
    let failures = 0;
    while (this.running && gen === this.loops.current) {
      if (reason === undefined) {
        this.options.state.set({ name: 'connecting', via: this.preferred, server: this.server });
      } else {
        retry++;
        const delay = immediate && retry === 1 ? 0 : this.options.backoff.delay(retry - 1);
        const at = Date.now() + delay;
        const server = this.server;
        const via = this.preferred;
        this.options.state.set({ name: 'reconnecting', via, server, attempt: retry, nextInMs: delay, at, reason });
        await this.loops.sleep(delay);
        if (this.superseded(gen)) return;
      }
      try {
        const t = await this.openAny(gen, reason === undefined);
        if (this.superseded(gen)) {
          this.retire(t);
          return;
        }
        this.adopt(t, true);
        return;
      } catch (raw) {
        if (this.superseded(gen)) return;
        const err = toClientError(raw);
        if (isFatalError(err)) {
          this.fatal(err);
          return;
        }
        failures++;
        reason = err.message;
        // Fail over: the next attempt goes to the next server.
        this.serverIndex = (this.serverIndex + 1) % this.options.servers.length;
        if (this.options.maxAttempts !== undefined && failures >= this.options.maxAttempts) {
          this.fatal(new ClientError('unreachable', `gave up after ${failures} attempts: ${err.message}`));
          return;
        }
      }
    }
  }

  /**
   * With `auto` (not pinned), tries the preferred transport, then the others
   * in order. When all fail, the attempt fails with one error (the state's
   * `reason`; the retry count is the state's `attempt`), never one warning per
   * transport per retry: a wrong server or a restart would flood the history.
   */
  private async openAny(gen: number, first: boolean): Promise<Transport> {
    const vias = this.pinned ? [this.preferred] : [this.preferred, ...VIAS.filter((v) => v !== this.preferred)];
    const failed: { via: Via; err: ClientError }[] = [];
    for (const via of vias) {
      if (!this.running || gen !== this.loops.current) break;
      if (first) this.options.state.set({ name: 'connecting', via, server: this.server });
      try {
        const t = await this.open(this.server, via);
        if (failed.length > 0) this.warnFallback(failed, via);
        return t;
      } catch (raw) {
        const err = toClientError(raw);
        if (isFatalError(err)) throw err;
        failed.push({ via, err });
      }
    }
    throw allFailed(failed) ?? new ClientError('closed', 'connect cancelled');
  }

  /** Says once (not on every reconnect) why `auto` fell back from its preferred transport. */
  private warnFallback(failed: { via: Via; err: ClientError }[], used: Via): void {
    const why = failed.map((f) => `${f.via} failed (${f.err.message})`).join(', ');
    const warning = `${why} on ${this.server}; using ${used}`;
    if (warning === this.lastFallback) return;
    this.lastFallback = warning;
    this.options.onWarning(warning);
  }

  private async open(server: string, via: Via): Promise<Transport> {
    const factory = this.options.factories[via];
    const t: Transport = factory(this.options.transportOptions(server), {
      onEvent: (event) => {
        if (this.live.has(t)) this.options.onEvent(event);
      },
      onDown: (err) => this.onDown(t, err),
    });
    this.live.add(t);
    const ms = this.options.connectTimeoutMs;
    try {
      await withTimeout(t.open(), ms, () => new ClientError('timeout', `${via} did not connect within ${ms} ms`));
      // It may have died between establishing and now; onDown already dropped it.
      if (!this.live.has(t)) throw new ClientError('closed', `${via} dropped while opening`);
      return t;
    } catch (err) {
      this.retire(t);
      throw err;
    }
  }

  private adopt(t: Transport, fresh: boolean): void {
    this.current = t;
    this.live.add(t);
    if (!this.pinned) this.preferred = t.via;
    this.options.state.set({ name: 'online', via: t.via, server: this.server });
    if (this.adoptedVia !== t.via) {
      this.options.onVia({ from: this.adoptedVia, to: t.via });
      this.adoptedVia = t.via;
    }
    this.options.onOnline(t, fresh);
    this.started?.resolve();
  }

  private onDown(t: Transport, err: ClientError): void {
    this.live.delete(t);
    if (t !== this.current) return;
    this.current = undefined;
    this.options.onOffline();
    if (!this.running) return;
    if (isFatalError(err)) return this.fatal(err);
    void this.loop(err.message);
  }

  private fatal(err: ClientError): void {
    this.running = false;
    this.loops.next();
    this.dropAll();
    this.options.onOffline();
    this.options.state.set({ name: 'offline', reason: err.code });
    this.options.onWarning(err.message);
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

  /**
   * True once stop() or a fatal error ended the client or, given a loop's
   * generation, once a newer loop replaced it. A method, not an inline check:
   * both change while an `await` is pending.
   */
  private superseded(gen?: number): boolean {
    return !this.running || (gen !== undefined && gen !== this.loops.current);
  }
}

/** One error for a connect attempt in which every transport failed: the reason once if they agree. */
function allFailed(failed: { via: Via; err: ClientError }[]): ClientError | undefined {
  const last = failed.at(-1);
  if (last === undefined) return undefined;
  if (failed.every((f) => f.err.message === last.err.message)) return last.err;
  const each = failed.map((f) => `${f.via}: ${f.err.message}`).join('; ');
  return new ClientError(last.err.code, each, { cause: last.err });
}
