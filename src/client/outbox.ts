/**
 * Sends that have not been acknowledged yet. Each keeps its `cid` for life, so
 * any retry (after a dropped connection, a switch of transport, a lost ack) is
 * idempotent on the server: nothing is lost and nothing is stored twice.
 *
 * - Entries go out in the order they were queued; `window` of them may be in
 *   flight at once (1 over HTTP, more over one WebSocket, which keeps order).
 * - A permanent refusal (invalid_text, conflict, …) makes the entry `failed`.
 * - `rate_limited` pauses the whole outbox for the server's `retryAfterMs`.
 * - Network errors retry the same entry with backoff while online, and at once
 *   when a new transport (sender) takes over.
 */
import type { AckEvent } from '../protocol/index.js';
import { Backoff } from './backoff.js';
import { ClientError, isPermanentSendError, toClientError } from './errors.js';
import type { OutgoingMessage } from './types.js';

export interface OutboxSender {
  send(message: OutgoingMessage): Promise<AckEvent>;
  /** How many sends may be in flight at once. */
  readonly window: number;
}

export interface OutboxOptions {
  /** Called when an entry becomes acked or failed. */
  onChange: (message: OutgoingMessage) => void;
  /** Called with each ack, before onChange. */
  onAck?: (ack: AckEvent) => void;
  /** Called each time an entry is handed to a sender (for round-trip timing). */
  onTransmit?: (message: OutgoingMessage) => void;
  /** Delays between retries after network errors. Default: 100 ms .. 5 s full jitter. */
  retryBackoff?: Backoff;
  /** Default wait when a rate_limited error carries no retryAfterMs, ms. Default 1000. */
  defaultRetryAfterMs?: number;
}

interface Waiter {
  resolve: (ack: AckEvent) => void;
  reject: (err: ClientError) => void;
}

interface Entry {
  message: OutgoingMessage;
  inFlight: boolean;
  failures: number;
  notBefore: number;
  waiters: Waiter[];
}

/** Acks remembered after their entry left, so a late `whenAcked` still resolves. */
const RECENT_ACKS = 1024;

export class Outbox {
  private readonly entries = new Map<string, Entry>();
  private readonly recentAcks = new Map<string, AckEvent>();
  private readonly failedErrors = new Map<string, ClientError>();
  private idleWaiters: (() => void)[] = [];
  private sender: OutboxSender | undefined;
  private inFlight = 0;
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private readonly retryBackoff: Backoff;

  constructor(private readonly options: OutboxOptions) {
    this.retryBackoff = options.retryBackoff ?? new Backoff({ minMs: 100, maxMs: 5000 });
  }

  enqueue(message: OutgoingMessage): void {
    this.entries.set(message.cid, { message, inFlight: false, failures: 0, notBefore: 0, waiters: [] });
    this.pump();
  }

  /** Records a send refused before it left (e.g. text over the limit). */
  enqueueFailed(message: OutgoingMessage, err: ClientError): void {
    message.status = 'failed';
    message.error = err.code;
    this.entries.set(message.cid, { message, inFlight: false, failures: 0, notBefore: 0, waiters: [] });
    this.rememberFailure(message.cid, err);
  }

  /** Hands the outbox a live sender (online) or none (offline). */
  setSender(sender: OutboxSender | undefined): void {
    this.sender = sender;
    if (sender) {
      // A new transport deserves an immediate try, whatever the old one went through.
      for (const e of this.entries.values()) e.notBefore = 0;
      this.pump();
    }
  }

  list(): OutgoingMessage[] {
    return Array.from(this.entries.values(), (e) => e.message);
  }

  pendingCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.message.status === 'pending') n++;
    return n;
  }

  whenAcked(cid: string): Promise<AckEvent> {
    const ack = this.recentAcks.get(cid);
    if (ack) return Promise.resolve(ack);
    const failed = this.failedErrors.get(cid);
    if (failed) return Promise.reject(failed);
    const entry = this.entries.get(cid);
    if (!entry) return Promise.reject(new ClientError('not_found', `no send with cid ${cid}`));
    return new Promise((resolve, reject) => entry.waiters.push({ resolve, reject }));
  }

  whenIdle(): Promise<void> {
    if (this.pendingCount() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops timers; entries stay for a later `setSender`. */
  close(): void {
    this.sender = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    const sender = this.sender;
    if (!sender) return;
    const now = Date.now();
    if (now < this.pausedUntil) {
      this.wakeAt(this.pausedUntil);
      return;
    }
    let earliest = Infinity;
    for (const entry of this.entries.values()) {
      if (this.inFlight >= sender.window) return;
      if (entry.inFlight || entry.message.status !== 'pending') continue;
      if (entry.notBefore > now) {
        earliest = Math.min(earliest, entry.notBefore);
        // Keep order: nothing queued after a waiting entry overtakes it.
        break;
      }
      this.transmit(entry, sender);
    }
    if (earliest !== Infinity) this.wakeAt(earliest);
  }

  private transmit(entry: Entry, sender: OutboxSender): void {
    entry.inFlight = true;
    this.inFlight++;
    this.options.onTransmit?.(entry.message);
    sender.send(entry.message).then(
      (ack) => {
        this.inFlight--;
        entry.inFlight = false;
        this.settleAcked(entry, ack);
        this.pump();
      },
      (raw: unknown) => {
        this.inFlight--;
        entry.inFlight = false;
        this.settleError(entry, toClientError(raw), sender);
        this.pump();
      },
    );
  }

  private settleAcked(entry: Entry, ack: AckEvent): void {
    if (entry.message.status !== 'pending') return;
    entry.message.status = 'acked';
    entry.message.seq = ack.seq;
    this.entries.delete(entry.message.cid);
    this.recentAcks.set(entry.message.cid, ack);
    if (this.recentAcks.size > RECENT_ACKS) this.recentAcks.delete(this.recentAcks.keys().next().value as string);
    for (const w of entry.waiters) w.resolve(ack);
    entry.waiters = [];
    this.options.onAck?.(ack);
    this.options.onChange(entry.message);
    this.checkIdle();
  }

  private settleError(entry: Entry, err: ClientError, sender: OutboxSender): void {
    if (entry.message.status !== 'pending') return;
    if (isPermanentSendError(err)) {
      entry.message.status = 'failed';
      entry.message.error = err.code;
      this.rememberFailure(entry.message.cid, err);
      for (const w of entry.waiters) w.reject(err);
      entry.waiters = [];
      this.options.onChange(entry.message);
      this.checkIdle();
      return;
    }
    if (err.code === 'rate_limited') {
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + (err.retryAfterMs ?? this.options.defaultRetryAfterMs ?? 1000));
      return;
    }
    // The transport it went out on was replaced: the new one gets it at once.
    if (sender !== this.sender) return;
    entry.notBefore = Date.now() + this.retryBackoff.delay(entry.failures);
    entry.failures++;
  }

  private rememberFailure(cid: string, err: ClientError): void {
    this.failedErrors.set(cid, err);
    if (this.failedErrors.size > RECENT_ACKS) this.failedErrors.delete(this.failedErrors.keys().next().value as string);
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(0, at - Date.now()));
  }

  private checkIdle(): void {
    if (this.idleWaiters.length === 0 || this.pendingCount() > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
