/**
 * Socket.IO subscriber over engine.io v4 HTTP long-polling, spoken raw:
 * handshake GET, `40` connect POST, then held GETs whose packets are split by
 * \x1e; pings (`2`) are answered with a `3` POST. The CONNECT packet carries
 * the subscriber's session and nick as Socket.IO's auth payload.
 */
import { HttpSubscriber } from './http-subscriber.js';
import { authHeaders, type SubscriberContext } from './subscriber.js';

const SEP = '\x1e';

export class SioPollingSubscriber extends HttpSubscriber {
  readonly ready: Promise<void>;
  private path = '/socket.io/?EIO=4&transport=polling';

  constructor(private readonly ctx: SubscriberContext) {
    super();
    this.ready = this.startLoop((onReady) => this.loop(onReady));
  }

  private async get(): Promise<string> {
    const res = await this.ctx.pool.request({
      path: this.path,
      method: 'GET',
      headers: authHeaders(this.ctx.token),
      signal: this.abort.signal,
      bodyTimeout: 90_000,
      headersTimeout: 90_000,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`engine.io status ${res.statusCode}: ${text.slice(0, 200)}`);
    return text;
  }

  private async post(packet: string): Promise<void> {
    const res = await this.ctx.pool.request({
      path: this.path,
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', ...authHeaders(this.ctx.token) },
      body: packet,
      signal: this.abort.signal,
    });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`engine.io POST status ${res.statusCode}`);
  }

  private async loop(onReady: () => void): Promise<void> {
    const open = await this.get();
    const m = /"sid":"([^"]+)"/.exec(open);
    if (!m) throw new Error(`engine.io handshake without sid: ${open.slice(0, 200)}`);
    this.path = `/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(m[1] ?? '')}`;
    await this.post(`40${JSON.stringify(this.ctx.identity)}`);
    const { sink, index } = this.ctx;
    while (!this.closing) {
      const payload = await this.get();
      let start = 0;
      while (start < payload.length) {
        let end = payload.indexOf(SEP, start);
        if (end < 0) end = payload.length;
        const c0 = payload.charCodeAt(start);
        if (c0 === 52 /* 4 message */) {
          const c1 = payload.charCodeAt(start + 1);
          if (c1 === 50 /* 2 event */) sink.json(index, payload.slice(start, end));
          else if (c1 === 48 /* 0 connect */) onReady();
        } else if (c0 === 50 /* 2 ping */) {
          this.post('3').catch(() => undefined);
        } else if (c0 === 49 /* 1 close */) {
          throw new Error('engine.io closed the session');
        }
        start = end + 1;
      }
    }
  }
}
