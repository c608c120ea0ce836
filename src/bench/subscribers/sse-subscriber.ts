/**
 * SSE subscribers (rtchat and the raw SSE peer speak the same stream), over
 * undici, with the subscriber's `session` and `nick` in the query as
 * `rtchat join --via sse` sends them. With extra rooms, one multi-room
 * stream (`GET /events?rooms=A,B,C`) for all of them.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Dispatcher } from 'undici';
import { HttpSubscriber } from './http-subscriber.js';
import { allRooms, authHeaders, deferred, identityQuery, type SubscriberContext } from './subscriber.js';

export class SseSubscriber extends HttpSubscriber {
  readonly ready: Promise<void>;
  private body: Dispatcher.ResponseData['body'] | undefined;

  constructor(ctx: SubscriberContext) {
    super();
    const d = deferred();
    this.ready = d.promise;
    const { sink, index } = ctx;
    const rooms = allRooms(ctx);
    // Ready once every room's hello is in (one per room on a multi-room stream).
    let hellos = 0;
    let isReady = false;
    let buf = '';
    const onBlock = (block: string): void => {
      const at = block.startsWith('data: ') ? 0 : block.indexOf('\ndata: ') + 1;
      if (at <= 0 && !block.startsWith('data: ')) return;
      const end = block.indexOf('\n', at);
      const data = block.slice(at + 6, end < 0 ? undefined : end);
      if (!isReady) {
        if (data.includes('"type":"hello"') && ++hellos === rooms.length) {
          isReady = true;
          d.resolve();
        }
        return;
      }
      sink.json(index, data);
    };
    ctx.pool
      .request({
        path:
          rooms.length > 1
            ? `/events?rooms=${rooms.join(',')}&${identityQuery(ctx.identity)}`
            : `/rooms/${ctx.room}/events?${identityQuery(ctx.identity)}`,
        method: 'GET',
        headers: { accept: 'text/event-stream', ...authHeaders(ctx.token) },
        signal: this.abort.signal,
        bodyTimeout: 0,
        headersTimeout: 30_000,
      })
      .then((res) => {
        this.body = res.body;
        if (res.statusCode !== 200) {
          d.reject(new Error(`SSE status ${res.statusCode}`));
          res.body.destroy();
          return;
        }
        // undici's body ignores setEncoding; a StringDecoder keeps split UTF-8 sequences whole.
        const decoder = new StringDecoder('utf8');
        res.body.on('data', (bytes: Buffer) => {
          const chunk = decoder.write(bytes);
          buf = buf.length === 0 ? chunk : buf + chunk;
          let start = 0;
          for (;;) {
            const end = buf.indexOf('\n\n', start);
            if (end < 0) break;
            onBlock(buf.slice(start, end));
            start = end + 2;
          }
          buf = start === 0 ? buf : buf.slice(start);
        });
        const ended = (err?: Error): void => {
          if (!this.closing) this.die(err ?? new Error('SSE stream ended'));
          d.reject(new Error('SSE stream ended'));
        };
        res.body.on('end', ended);
        res.body.on('error', ended);
      })
      .catch((err: unknown) => {
        if (!this.closing) this.die(err);
        d.reject(err instanceof Error ? err : new Error(String(err)));
      });
  }

  override close(): void {
    super.close();
    this.body?.destroy();
  }
}
