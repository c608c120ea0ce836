/** rtchat long-poll subscriber: one held GET at a time, cursor from `next`. */
import type { MessageEvent, PollResponse } from '../../protocol/events.js';
import { HttpSubscriber } from './http-subscriber.js';
import { authHeaders, type SubscriberContext } from './subscriber.js';

export class LongPollSubscriber extends HttpSubscriber {
  readonly ready: Promise<void>;

  constructor(private readonly ctx: SubscriberContext) {
    super();
    this.ready = this.startLoop((onReady) => this.loop(onReady));
  }

  private async loop(onReady: () => void): Promise<void> {
    const { ctx } = this;
    const base = `/rooms/${ctx.room}/messages?timeout=25`;
    let next: number | undefined;
    while (!this.closing) {
      const res = await ctx.pool.request({
        path: next === undefined ? base : `${base}&after=${next}`,
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
          const m = ev as MessageEvent;
          ctx.sink.event(ctx.index, m.seq, m.text);
        }
      }
      if (next === undefined) onReady();
      next = answer.next;
    }
  }

}
