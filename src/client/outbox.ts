/**
 * Sends that have not been acknowledged yet. Each keeps its `cid` for life, so
 * any retry (after a dropped connection, a switch of transport, a lost ack) is
 * idempotent on the server: nothing is lost and nothing is stored twice.
 *
 * - Entries go out in the order they were queued, paced by the contract's
 *   token bucket (send-pacer.ts); `window` of them may be in flight at once
 *   (1 over HTTP, more over one WebSocket, which keeps order).
 * - Nothing is transmitted past an earlier entry that waits for a retry or is
 *   still in flight on a replaced transport: no send overtakes an earlier one.
 * - A permanent refusal (invalid_text, conflict, …) makes the entry `failed`.
 * - `rate_limited` holds the whole outbox for the server's `retryAfterMs`.
 * - Network errors retry the same entry with backoff while online, and at once
 *   when a new transport (sender) takes over.
 * - After a rate limit or a retried failure the window is 1 until nothing is
 *   pending: sends already in flight cannot be recalled, but no later one can
 *   overtake a send that is being retried.
 */
import type { AckEvent } from '../protocol/index.js';
import { Backoff } from './backoff.js';
import { ClientError, isPermanentSendError, toClientError } from './errors.js';
import { SendPacer } from './send-pacer.js';
import type { OutgoingMessage } from './model.js';

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
  /** Paces transmissions. Default: a `SendPacer` with the contract's limits (and its margin). */
  pacer?: SendPacer;
}

interface Waiter {
  resolve: (ack: AckEvent) => void;
  reject: (err: ClientError) => void;
}

interface Entry {
  message: OutgoingMessage;
  /** The sender it is in flight on, if any. */
  inFlight: OutboxSender | undefined;
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
  private pending = 0;
  /** One send at a time until nothing is pending (set by a rate limit or a retried failure). */
  private oneAtATime = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private readonly retryBackoff: Backoff;
  private readonly pacer: SendPacer;

  constructor(private readonly options: OutboxOptions) {
    this.retryBackoff = options.retryBackoff ?? new Backoff({ minMs: 100, maxMs: 5000 });
    this.pacer = options.pacer ?? new SendPacer();
  }

  enqueue(message: OutgoingMessage): void {
    this.entries.set(message.cid, { message, inFlight: undefined, failures: 0, notBefore: 0, waiters: [] });
    this.pending++;
    this.pump();
  }

  /** Records a send refused before it left (e.g. text over the limit). */
  enqueueFailed(message: OutgoingMessage, err: ClientError): void {
    message.status = 'failed';
    message.error = err.code;
    message.reason = err.message;
    this.entries.set(message.cid, { message, inFlight: undefined, failures: 0, notBefore: 0, waiters: [] });
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
    return this.pending;
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
    if (this.pending === 0) return Promise.resolve();
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
    const window = this.oneAtATime ? 1 : sender.window;
    let now = 0;
    for (const entry of this.entries.values()) {
      if (entry.message.status !== 'pending') continue;
      if (entry.inFlight !== undefined) {
        // Its old transport has not given it back yet: whatever follows waits for its retry.
        if (entry.inFlight !== sender) return;
        continue;
      }
      if (this.inFlight >= window) return;
      now ||= Date.now();
      // Keep order: nothing queued after a waiting entry overtakes it.
      if (entry.notBefore > now) return this.wakeAt(entry.notBefore);
      const wait = this.pacer.take();
      if (wait > 0) return this.wakeAt(now + wait);
      this.transmit(entry, sender);
    }
  }

  private transmit(entry: Entry, sender: OutboxSender): void {
    entry.inFlight = sender;
    this.inFlight++;
    this.options.onTransmit?.(entry.message);
    sender.send(entry.message).then(
      (ack) => {
        this.inFlight--;
        entry.inFlight = undefined;
        this.settleAcked(entry, ack);
        this.pump();
      },
      (raw: unknown) => {
        this.inFlight--;
        entry.inFlight = undefined;
        this.settleError(entry, toClientError(raw), sender);
        this.pump();
      },
    );
  }

  private settleAcked(entry: Entry, ack: AckEvent): void {
    if (entry.message.status !== 'pending') return;
    entry.message.status = 'acked';
    entry.message.seq = ack.seq;
    this.pending--;
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
      entry.message.reason = err.message;
      this.pending--;
      this.rememberFailure(entry.message.cid, err);
      for (const w of entry.waiters) w.reject(err);
      entry.waiters = [];
      this.options.onChange(entry.message);
      this.checkIdle();
      return;
    }
    if (err.code === 'rate_limited') {
      // The bucket is per session, whatever the transport: hold everything.
      this.pacer.holdFor(err.retryAfterMs ?? this.options.defaultRetryAfterMs ?? 1000);
      this.oneAtATime = true;
      return;
    }
    // The transport it went out on was replaced: the new one gets it at once.
    if (sender !== this.sender) return;
    entry.notBefore = Date.now() + this.retryBackoff.delay(entry.failures);
    entry.failures++;
    this.oneAtATime = true;
  }

  private rememberFailure(cid: string, err: ClientError): void {
    this.failedErrors.set(cid, err);
    if (this.failedErrors.size > RECENT_ACKS) this.failedErrors.delete(this.failedErrors.keys().next().value as string);
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(0, at - Date.now()),
    );
  }

  private checkIdle(): void {
    if (this.pending > 0) return;
    // Drained: no retry is left to overtake, so pipelining may resume.
    this.oneAtATime = false;
    if (this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
