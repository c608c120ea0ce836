/**
 * rtchat long-poll subscriber: one held GET at a time, cursor from `next`. It
 * polls as `rtchat join --via longpoll` does: with its `session` and `nick`
 * (so it is a member of the room) and `pv`, the newest presence version it
 * has seen (so presence changes reach it, as they reach a real client).
 */
import type { PollResponse } from '../../protocol/events.js';
import { HttpSubscriber } from './http-subscriber.js';
import { authHeaders, identityQuery, type SubscriberContext } from './subscriber.js';

export class LongPollSubscriber extends HttpSubscriber {
  readonly ready: Promise<void>;

  constructor(private readonly ctx: SubscriberContext) {
    super();
    this.ready = this.startLoop((onReady) => this.loop(onReady));
  }

  private async loop(onReady: () => void): Promise<void> {
    const { ctx } = this;
    const base = `/rooms/${ctx.room}/messages?timeout=25&${identityQuery(ctx.identity)}`;
    let next: number | undefined;
    let pv = 0;
    while (!this.closing) {
      const res = await ctx.pool.request({
        path: next === undefined ? `${base}&pv=${pv}` : `${base}&pv=${pv}&after=${next}`,
        method: 'GET',
        headers: authHeaders(ctx.token),
        signal: this.abort.signal,
        bodyTimeout: 60_000,
        headersTimeout: 60_000,
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`poll status ${res.statusCode}: ${text.slice(0, 200)}`);
      const answer = JSON.parse(text) as PollResponse;
      for (const ev of answer.events) {
        if (ev.type === 'message') {
          ctx.sink.event(ctx.index, ev.seq, ev.text);
        } else if (ev.type === 'presence') {
          pv = Math.max(pv, ev.version);
        }
      }
      if (next === undefined) onReady();
      next = answer.next;
    }
  }
}
