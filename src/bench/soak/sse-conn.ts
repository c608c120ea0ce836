/**
 * A soak client over Server-Sent Events, as `rtchat join --via sse` joins:
 * `GET /rooms/{room}/events?session=…&nick=…&after=N`. Plain node:http bound
 * to its source address; blocks are split on blank lines and only `message`
 * data is parsed.
 */
import http from 'node:http';
import { errorCode, parseJson, SoakConn } from './soak-conn.js';

/** One socket per stream, closed when the stream ends: nothing to keep alive. */
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

export class SseConn extends SoakConn {
  readonly via = 'sse' as const;
  private req: http.ClientRequest | undefined;
  private buf = '';

  protected open(): void {
    const { target } = this;
    this.buf = '';
    const who = this.identity ? `&${this.identity}` : '';
    const req = http.request({
      host: target.host,
      port: target.port,
      localAddress: target.localAddress,
      path: `/rooms/${this.host.room}/events?after=${this.lastSeq}${who}`,
      headers: { accept: 'text/event-stream' },
      agent,
    });
    this.req = req;
    // Events of a request this client has since replaced or torn down are ignored.
    const drop = (code: string): void => {
      if (this.req !== req) return;
      this.req = undefined;
      req.destroy();
      this.drop(code);
    };
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        drop(`http-${res.statusCode ?? 0}`);
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (this.req === req) this.chunk(chunk);
      });
      res.on('end', () => drop('end'));
      res.on('error', (err) => drop(errorCode(err)));
      res.on('close', () => drop('closed'));
    });
    req.on('error', (err) => drop(errorCode(err)));
    req.end();
  }

  private chunk(s: string): void {
    this.alive();
    // Search only the new text (and the last char before it) for the blank line that ends a block.
    let from = Math.max(0, this.buf.length - 1);
    this.buf = this.buf.length === 0 ? s : this.buf + s;
    let start = 0;
    for (;;) {
      const end = this.buf.indexOf('\n\n', from);
      if (end < 0) break;
      this.block(start, end);
      start = end + 2;
      from = start;
    }
    if (start > 0) this.buf = this.buf.slice(start);
  }

  private block(start: number, end: number): void {
    const b = this.buf;
    if (b.startsWith('event: message', start)) {
      const at = b.indexOf('\ndata: ', start);
      if (at < 0 || at > end) return;
      const m = parseJson(b.slice(at + 7, end)) as { seq: number; text: string } | undefined;
      if (m === undefined) return this.host.tally.error('sse: message data that is not JSON');
      this.message(m.seq, m.text);
    } else if (b.startsWith('event: hello', start)) {
      this.ready();
    } else if (b.startsWith('event: error', start)) {
      this.host.tally.error(`sse error event: ${b.slice(start, Math.min(end, start + 200))}`);
    }
  }

  protected teardown(): void {
    this.req?.destroy();
    this.req = undefined;
  }
}
