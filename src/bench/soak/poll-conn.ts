/**
 * A soak client over long polling, as `rtchat join --via longpoll` polls:
 * `GET /rooms/{room}/messages?session=…&nick=…&timeout=25&pv=V`, the first
 * without `after` (it answers at once with `hello`), the next ones from the
 * cursor; `pv` follows the presence versions seen, so presence changes
 * answer held polls as they do for the real client. Keep-alive sockets from
 * one node:http agent per worker, each request bound to its source address.
 */
import http from 'node:http';
import { errorCode, parseJson, SoakConn, wallNow } from './soak-conn.js';

/** Margin past the server's hold time before a poll counts as dead, ms (the client's is 5000). */
const POLL_MARGIN_MS = 10_000;

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, scheduling: 'lifo' });

interface PollAnswer {
  events: { type: string; seq?: number; text?: string; version?: number }[];
  next: number;
}

export class PollConn extends SoakConn {
  readonly via = 'longpoll' as const;
  private req: http.ClientRequest | undefined;
  private pv = 0;
  /** False until the first answer: the first poll asks for `hello` (no `after`). */
  private started = false;

  protected open(): void {
    this.started = this.everReady;
    this.poll();
  }

  private poll(): void {
    const { target } = this;
    const who = this.identity ? `&${this.identity}` : '';
    const after = this.started ? `&after=${this.lastSeq}` : '';
    // A reconnect from a cursor gets no hello; its first poll answers at once instead of being held.
    const timeout = this.phase === 'connecting' && this.started ? 0 : this.host.pollTimeoutS;
    const req = http.request({
      host: target.host,
      port: target.port,
      localAddress: target.localAddress,
      path: `/rooms/${this.host.room}/messages?timeout=${timeout}&pv=${this.pv}${after}${who}`,
      agent,
    });
    this.req = req;
    if (this.phase === 'online') this.deadline = wallNow() + this.host.pollTimeoutS * 1000 + POLL_MARGIN_MS;
    // Events of a request this client has since replaced or torn down are ignored.
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (this.req !== req) return;
        this.req = undefined;
        if (res.statusCode !== 200) return this.drop(`http-${res.statusCode ?? 0}`);
        const a = parseJson(Buffer.concat(chunks).toString('utf8')) as PollAnswer | undefined;
        if (a === undefined || !Array.isArray(a.events)) return this.drop('bad-answer');
        this.answer(a);
      });
      res.on('error', (err) => fail(err));
    });
    const fail = (err: unknown): void => {
      if (this.req !== req) return;
      this.req = undefined;
      req.destroy();
      // The keep-alive race: the server closed an idle socket as this poll went out on it. As
      // Node's docs advise (and as a client's HTTP pool does), send it again on a fresh socket.
      if (req.reusedSocket && errorCode(err) === 'ECONNRESET') {
        this.host.tally.retries++;
        return this.poll();
      }
      this.drop(errorCode(err));
    };
    req.on('error', fail);
    req.end();
  }

  private answer(a: PollAnswer): void {
    for (const e of a.events) {
      if (e.type === 'message' && e.seq !== undefined) this.message(e.seq, e.text ?? '');
      else if (e.type === 'presence' && e.version !== undefined) this.pv = Math.max(this.pv, e.version);
      else if (e.type === 'hello') this.ready();
    }
    // A reconnect from a cursor gets no hello: its first answer is the sign it is in.
    if (this.started) this.ready();
    this.started = true;
    // Not from the answer's `end` handler: the agent takes the socket back only after it, so a poll
    // sent there opens a second socket and each poller holds two (19,000 members: the server's fd cap).
    if (this.phase === 'online') setImmediate(() => this.next());
  }

  private next(): void {
    if (this.phase === 'online' && this.req === undefined) this.poll();
  }

  protected teardown(): void {
    const req = this.req;
    this.req = undefined;
    req?.destroy();
  }
}
