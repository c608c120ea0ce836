/**
 * Long polling over a keep-alive connection of its own: GET …/messages in a loop, each
 * poll starting where the last one's `next` left off. A poll that outlives the
 * server's hold time by a margin means a dead peer.
 */
import { isRecord, type RoomEvent } from '../../protocol/index.js';
import { ClientError, toClientError } from '../errors.js';
import { HttpTransport } from './http-transport.js';
import { asServerEvent, isRoomEvent } from './room-events.js';
import type { TransportFactory, TransportHandlers, TransportOptions } from './transport.js';

/** Extra wait past the server's hold time before a poll counts as dead, ms. */
const POLL_MARGIN_MS = 5000;

export class LongPollTransport extends HttpTransport {
  readonly via = 'longpoll' as const;
  private readonly abort = new AbortController();
  private after: number | undefined;
  private epoch: string | undefined;
  private pv: number;

  constructor(options: TransportOptions, handlers: TransportHandlers) {
    super(options, handlers);
    this.after = options.position.after;
    this.epoch = options.position.epoch;
    this.pv = options.presenceVersion;
  }

  async open(): Promise<void> {
    // The first poll may be held for the whole timeout, so reachability and the
    // token are checked with a ping, which answers at once.
    await this.http.ping();
    if (this.closed) throw new ClientError('closed', 'transport closed');
    void this.loop();
  }

  protected stopReceiving(): void {
    this.abort.abort();
  }

  private async loop(): Promise<void> {
    const o = this.options;
    const path = `/rooms/${encodeURIComponent(o.room)}/messages?`;
    while (!this.closed) {
      const q = new URLSearchParams();
      if (this.after !== undefined) q.set('after', String(this.after));
      if (this.epoch !== undefined && this.after !== undefined) q.set('epoch', this.epoch);
      q.set('session', o.session);
      if (o.present) q.set('nick', o.nick);
      q.set('timeout', String(o.pollTimeoutS));
      q.set('pv', String(this.pv));
      let events: unknown[];
      let next: unknown;
      try {
        const timeoutMs = o.pollTimeoutS * 1000 + POLL_MARGIN_MS;
        const res = await this.http.poll({ path: path + q.toString(), timeoutMs, signal: this.abort.signal });
        if (!isRecord(res.body) || !Array.isArray(res.body.events))
          throw new ClientError('protocol', 'poll answered without events');
        events = res.body.events;
        next = res.body.next;
      } catch (err) {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() aborts the poll under way
        if (this.closed) return;
        this.closed = true;
        this.http.close();
        this.handlers.onDown(toClientError(err));
        return;
      }
      for (const raw of events) {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a handler may close the transport
        if (this.closed) return;
        const event = asServerEvent(raw);
        if (event && isRoomEvent(event)) this.track(event);
      }
      if (typeof next === 'number') this.after = next;
    }
  }

  private track(event: RoomEvent): void {
    if (event.type === 'hello' || event.type === 'reset') this.epoch = event.epoch;
    else if (event.type === 'presence') this.pv = Math.max(this.pv, event.version);
    this.handlers.onEvent(event);
  }
}

export const longpollTransport: TransportFactory = (options, handlers) => new LongPollTransport(options, handlers);
