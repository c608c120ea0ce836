/**
 * Long polling over a keep-alive connection of its own: GET …/messages in a loop, each
 * poll starting where the last one's answer left off. One room polls the classic
 * `GET /rooms/{room}/messages` (answer `next`); 2+ rooms poll them all at once with
 * `GET /messages?rooms=<cursor list>&pv=<room:version,…>` (answer `cursor`, the list
 * to send next; docs/protocol.md 8.4). Rooms are added or removed by reopening.
 * A poll that outlives the server's hold time by a margin means a dead peer.
 */
import { isRecord, type RoomEvent } from '../../protocol/index.js';
import { formatRoomCursors } from '../../protocol/room-cursors.js';
import { ClientError, toClientError } from '../errors.js';
import { HttpTransport } from './http-transport.js';
import { asServerEvent, isRoomEvent } from './room-events.js';
import type { TransportFactory, TransportHandlers, TransportOptions } from './transport.js';

/** Extra wait past the server's hold time before a poll counts as dead, ms. */
const POLL_MARGIN_MS = 5000;

export class LongPollTransport extends HttpTransport {
  readonly via = 'longpoll' as const;
  private readonly abort = new AbortController();
  /** Single room: where the next poll starts. */
  private after: number | undefined;
  private epoch: string | undefined;
  /** Several rooms: the cursor list the last answer gave (the next `rooms=`). */
  private cursorList: string;
  /** Presence version seen per room (`pv`). */
  private readonly pv = new Map<string, number>();

  constructor(options: TransportOptions, handlers: TransportHandlers) {
    super(options, handlers);
    const [first] = options.rooms;
    this.after = first?.position.after;
    this.epoch = first?.position.epoch;
    this.cursorList = formatRoomCursors(options.rooms.map((r) => ({ room: r.room, ...r.position })));
    for (const r of options.rooms) this.pv.set(r.room, r.presenceVersion);
  }

  async open(): Promise<void> {
    if (this.options.rooms.length > 1) {
      // A first poll that answers at once (timeout 0) checks reachability, the token and every
      // room: a refused room (not_found, invalid_room, …) fails the open, not a later poll.
      await this.pollOnce(0);
    } else {
      // The first poll may be held for the whole timeout, so reachability and the
      // token are checked with a ping, which answers at once.
      await this.http.ping();
    }
    if (this.closed) throw new ClientError('closed', 'transport closed');
    void this.loop();
  }

  protected stopReceiving(): void {
    this.abort.abort();
  }

  private async loop(): Promise<void> {
    while (!this.closed) {
      try {
        await this.pollOnce(this.options.pollTimeoutS);
      } catch (err) {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() aborts the poll under way
        if (this.closed) return;
        this.closed = true;
        this.http.close();
        this.handlers.onDown(toClientError(err));
        return;
      }
    }
  }

  /** One poll held at most `timeoutS` seconds; its events go to the handlers. Rejects with a ClientError. */
  private async pollOnce(timeoutS: number): Promise<void> {
    const o = this.options;
    const single = o.rooms.length === 1 ? o.rooms[0] : undefined;
    const q = new URLSearchParams();
    let path: string;
    if (single) {
      path = `/rooms/${encodeURIComponent(single.room)}/messages?`;
      if (this.after !== undefined) q.set('after', String(this.after));
      if (this.epoch !== undefined && this.after !== undefined) q.set('epoch', this.epoch);
      q.set('pv', String(this.pv.get(single.room) ?? 0));
    } else {
      path = '/messages?';
      q.set('rooms', this.cursorList);
      q.set('pv', [...this.pv].map(([room, v]) => `${room}:${v}`).join(','));
    }
    q.set('session', o.session);
    if (o.present) q.set('nick', o.nick);
    q.set('timeout', String(timeoutS));
    const timeoutMs = timeoutS * 1000 + POLL_MARGIN_MS;
    const res = await this.http.poll({ path: path + q.toString(), timeoutMs, signal: this.abort.signal });
    const body = res.body;
    if (!isRecord(body) || !Array.isArray(body.events))
      throw new ClientError('protocol', 'poll answered without events');
    if (!single && typeof body.cursor !== 'string')
      throw new ClientError('protocol', 'multi-room poll answered without a cursor');
    for (const raw of body.events) {
      if (this.closed) return;
      const event = asServerEvent(raw);
      if (event?.type === 'dm') this.handlers.onEvent(event);
      else if (event && isRoomEvent(event)) this.track(event);
    }
    if (single && typeof body.next === 'number') this.after = body.next;
    if (!single && typeof body.cursor === 'string') this.cursorList = body.cursor;
  }

  private track(event: RoomEvent): void {
    if (event.type === 'hello' || event.type === 'reset') this.epoch = event.epoch;
    else if (event.type === 'presence' && this.pv.has(event.room))
      this.pv.set(event.room, Math.max(this.pv.get(event.room) ?? 0, event.version));
    this.handlers.onEvent(event);
  }
}

export const longpollTransport: TransportFactory = (options, handlers) => new LongPollTransport(options, handlers);
