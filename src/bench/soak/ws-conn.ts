/**
 * A soak client over WebSocket, as `rtchat join --via ws` joins: `GET
 * /ws?session=…&nick=…`, then a `join` frame from its cursor. Plain `ws`,
 * bound to its source address; only `message` frames are parsed, every other
 * frame is recognised by its first bytes.
 */
import WebSocket from 'ws';
import { errorCode, parseJson, SoakConn } from './soak-conn.js';

const TYPE_KEY = Buffer.from('"type":"');

/** The `type` of a server frame from its first bytes, without decoding the rest. */
function frameType(buf: Buffer): string {
  const at = buf.indexOf(TYPE_KEY);
  if (at < 0 || at > 64) return '';
  const from = at + TYPE_KEY.length;
  const end = buf.indexOf(34 /* " */, from);
  return end < 0 || end - from > 16 ? '' : buf.toString('latin1', from, end);
}

export class WsConn extends SoakConn {
  readonly via = 'ws' as const;
  private ws: WebSocket | undefined;
  /** Why it failed, when an error came before the close. */
  private failure: string | undefined;

  protected open(): void {
    const { target } = this;
    this.failure = undefined;
    const query = this.identity ? `?${this.identity}` : '';
    const ws = new WebSocket(`ws://${target.host}:${target.port}/ws${query}`, {
      localAddress: target.localAddress,
      perMessageDeflate: false,
      skipUTF8Validation: true,
      maxPayload: 256 * 1024 * 1024,
    });
    this.ws = ws;
    // Events of a socket this client has since replaced or torn down are ignored.
    ws.on('open', () => {
      if (this.ws === ws) ws.send(`{"type":"join","room":"${this.host.room}","after":${this.lastSeq}}`);
    });
    ws.on('message', (data: Buffer) => {
      if (this.ws === ws) this.frame(data);
    });
    ws.on('ping', () => this.alive());
    ws.on('unexpected-response', (req, res) => {
      res.resume();
      req.destroy();
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.drop(`http-${res.statusCode ?? 0}`);
    });
    ws.on('error', (err) => {
      if (this.ws === ws) this.failure ??= errorCode(err);
    });
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.drop(this.failure ?? String(code));
    });
  }

  private frame(data: Buffer): void {
    this.alive();
    const type = frameType(data);
    if (type === 'message') {
      const m = parseJson(data.toString('utf8')) as { seq: number; text: string } | undefined;
      if (m === undefined) return this.host.tally.error('ws: a message frame that is not JSON');
      this.message(m.seq, m.text);
    } else if (type === 'hello') {
      this.ready();
    } else if (type === 'error') {
      const m = (parseJson(data.toString('utf8')) ?? {}) as { code?: string; message?: string; room?: string };
      // An error answering our join (too_many, unavailable …): a refused join, the socket is useless.
      if (m.room === this.host.room || this.phase === 'connecting') {
        this.host.tally.error(`ws join refused: ${m.code ?? '?'} ${m.message ?? ''}`);
        this.failure = `error-${m.code ?? 'unknown'}`;
        this.ws?.terminate();
      }
    }
  }

  protected teardown(): void {
    this.ws?.terminate();
    this.ws = undefined;
  }
}
