/**
 * rtchat long-poll subscriber: one held GET at a time, cursor from `next`. It
 * polls as `rtchat join --via longpoll` does: with its `session` and `nick`
 * (so it is a member of the room) and `pv`, the newest presence version it
 * has seen (so presence changes reach it, as they reach a real client).
 * With extra rooms it polls them all with one request (`/messages?rooms=`).
 */
import type { PollResponse, RoomEvent } from '../../protocol/events.js';
import { HttpSubscriber } from './http-subscriber.js';
import { allRooms, authHeaders, identityQuery, type SubscriberContext } from './subscriber.js';

/** The answer of a multi-room poll: events of every room, and the cursor list to send next. */
interface MultiPollAnswer {
  events: RoomEvent[];
  cursor: string;
}

export class LongPollSubscriber extends HttpSubscriber {
  readonly ready: Promise<void>;

  constructor(private readonly ctx: SubscriberContext) {
    super();
    this.ready = this.startLoop((onReady) =>
      ctx.extraRooms && ctx.extraRooms.length > 0 ? this.multiLoop(onReady) : this.loop(onReady),
    );
  }

  /**
   * One held `GET /messages?rooms=…` for all the rooms (docs/protocol.md 8.4),
   * as a client in several rooms polls: the answer's `cursor` is the next
   * `rooms=`, `pv` lists every room at the newest presence version seen.
   * Ready once the cursor has a position for every room (their hellos are in).
   */
  private async multiLoop(onReady: () => void): Promise<void> {
    const { ctx } = this;
    const rooms = allRooms(ctx);
    const pv = new Map(rooms.map((r) => [r, 0]));
    const base = `/messages?timeout=25&${identityQuery(ctx.identity)}`;
    let cursor = rooms.join(',');
    let isReady = false;
    while (!this.closing) {
      const pvList = [...pv].map(([room, v]) => `${room}:${v}`).join(',');
      const answer = await this.poll<MultiPollAnswer>(`${base}&rooms=${cursor}&pv=${pvList}`, (room, v) =>
        pv.set(room, Math.max(pv.get(room) ?? 0, v)),
      );
      cursor = answer.cursor;
      if (!isReady && cursor.split(',').every((item) => item.includes(':'))) {
        isReady = true;
        onReady();
      }
    }
  }

  private async loop(onReady: () => void): Promise<void> {
    const { ctx } = this;
    const base = `/rooms/${ctx.room}/messages?timeout=25&${identityQuery(ctx.identity)}`;
    let next: number | undefined;
    let pv = 0;
    while (!this.closing) {
      const path = next === undefined ? `${base}&pv=${pv}` : `${base}&pv=${pv}&after=${next}`;
      const answer = await this.poll<PollResponse>(path, (_room, v) => (pv = Math.max(pv, v)));
      if (next === undefined) onReady();
      next = answer.next;
    }
  }

  /**
   * One held poll: its messages go to the sink, each presence version to
   * `onPresence`; resolves with the answer (for its `next` or `cursor`).
   * @throws Error for an answer that is not 200.
   */
  private async poll<A extends { events: RoomEvent[] }>(
    path: string,
    onPresence: (room: string, version: number) => void,
  ): Promise<A> {
    const { ctx } = this;
    const res = await ctx.pool.request({
      path,
      method: 'GET',
      headers: authHeaders(ctx.token),
      signal: this.abort.signal,
      bodyTimeout: 60_000,
      headersTimeout: 60_000,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`poll status ${res.statusCode}: ${text.slice(0, 200)}`);
    const answer = JSON.parse(text) as A;
    for (const ev of answer.events) {
      if (ev.type === 'message') ctx.sink.event(ctx.index, ev.seq, ev.text);
      else if (ev.type === 'presence') onPresence(ev.room, ev.version);
    }
    return answer;
  }
}
