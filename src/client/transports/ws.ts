/**
 * WebSocket with the `ws` package: one socket, a `join` per room from its
 * cursor (and `join`/`leave` frames for rooms added or removed live), sends
 * as `send` frames matched to their `ack`/`error` by cid, and JSON
 * `ping` frames for RTT. The server's protocol-level pings, our pongs and
 * every frame count as signs of life for dead-peer detection.
 */
import WebSocket from 'ws';
import {
  CLOSE,
  isErrorCode,
  type AckEvent,
  type JoinFrame,
  type PingFrame,
  type SendFrame,
} from '../../protocol/index.js';
import { ClientError, toClientError } from '../errors.js';
import type { PingSample } from '../latency.js';
import type { OutgoingMessage } from '../model.js';
import { isRoomEvent, parseServerEvent } from './room-events.js';
import type { Transport, TransportFactory, TransportHandlers, TransportOptions, TransportRoom } from './transport.js';
import { Watchdog } from './watchdog.js';
import { wsText } from '../../util/ws-text.js';

interface Pending<T> {
  resolve: (value: T) => void;
  reject: (err: ClientError) => void;
  timer: NodeJS.Timeout;
}

export class WsTransport implements Transport {
  readonly via = 'ws' as const;
  /** One socket keeps frame order, so sends can be pipelined. */
  readonly sendWindow = 32;
  private ws: WebSocket | undefined;
  private watchdog: Watchdog | undefined;
  private readonly sends = new Map<string, Pending<AckEvent>>();
  private readonly pings = new Map<number, Pending<PingSample>[]>();
  /** The rooms joined, in join order; `hello` once the room's hello arrived; `waiter` for a live join. */
  private readonly joins = new Map<string, { hello: boolean; waiter?: Pending<void> }>();
  private closed = false;
  private opened = false;

  constructor(
    private readonly options: TransportOptions,
    private readonly handlers: TransportHandlers,
  ) {
    for (const r of options.rooms) this.joins.set(r.room, { hello: false });
  }

  rooms(): string[] {
    return [...this.joins.keys()];
  }

  open(): Promise<void> {
    const o = this.options;
    const url = new URL('/ws', o.server);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('session', o.session);
    if (o.present) url.searchParams.set('nick', o.nick);

    return new Promise<void>((resolve, reject) => {
      const failOpen = (err: ClientError): void => {
        if (this.opened || this.closed) return;
        this.close();
        reject(err);
      };
      const ws = new WebSocket(url, {
        headers: o.token ? { authorization: `Bearer ${o.token}` } : {},
        handshakeTimeout: o.requestTimeoutMs,
        maxPayload: 16 * 1024 * 1024,
        perMessageDeflate: false,
        ...(o.ca !== undefined && { ca: o.ca }),
      });
      this.ws = ws;
      ws.on('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        failOpen(upgradeRefusal(status));
      });
      ws.on('open', () => {
        for (const r of o.rooms) this.sendJoin(r);
      });
      ws.on('message', (data, isBinary) => {
        if (this.closed) return;
        this.watchdog?.touch();
        if (isBinary) return;
        const event = parseServerEvent(wsText(data));
        if (!event) return;
        switch (event.type) {
          case 'ack':
            this.settle(this.sends, event.cid, (p) => p.resolve(event));
            return;
          case 'pong':
            this.settlePing(event.t, event.server);
            return;
          case 'error': {
            const err = new ClientError(
              isErrorCode(event.code) ? event.code : 'protocol',
              event.message,
              event.retryAfterMs === undefined ? {} : { retryAfterMs: event.retryAfterMs },
            );
            // Other errors (about a frame of ours that is not a send) are not fatal.
            if (event.cid !== undefined) this.settle(this.sends, event.cid, (p) => p.reject(err));
            else if (event.room !== undefined && this.joins.get(event.room)?.hello === false) {
              // A refused join: the open fails as a whole, a live join alone.
              if (!this.opened) failOpen(err);
              else this.refuseJoin(event.room, err);
            }
            return;
          }
        }
        if (event.type === 'dm') this.handlers.onEvent(event);
        if (!isRoomEvent(event)) return; // a `dm` notice too, once passed on
        // Late events of a room left are not ours, nor (left and joined again) those before the new join's hello.
        const joined = this.joins.get(event.room);
        if (joined === undefined || (!joined.hello && event.type !== 'hello')) return;
        if (event.type === 'hello' && !joined.hello) {
          joined.hello = true;
          if (joined.waiter) {
            clearTimeout(joined.waiter.timer);
            joined.waiter.resolve();
            joined.waiter = undefined;
          }
        }
        if (!this.opened && [...this.joins.values()].every((j) => j.hello)) {
          this.opened = true;
          this.watchdog = new Watchdog(2 * o.heartbeatMs, (ms) =>
            this.fail(new ClientError('timeout', `no data or heartbeat for ${ms} ms`)),
          );
          resolve();
        }
        this.handlers.onEvent(event);
      });
      ws.on('ping', () => this.watchdog?.touch());
      ws.on('pong', () => this.watchdog?.touch());
      ws.on('error', (err) => {
        if (this.opened) this.fail(toClientError(err));
        else failOpen(toClientError(err));
      });
      ws.on('close', (code, reason) => {
        const why = `socket closed (${code}${reason.length ? ' ' + reason.toString() : ''})`;
        const err =
          code === CLOSE.tokenExpired
            ? new ClientError('token_expired', 'the server ended the stream: the token expired or was revoked')
            : new ClientError(code === 1008 ? 'protocol' : 'closed', why);
        if (this.opened) this.fail(err);
        else failOpen(code === CLOSE.abnormal ? new ClientError('unreachable', err.message) : err);
      });
    });
  }

  join(room: TransportRoom): Promise<void> {
    const ws = this.ws;
    if (this.closed || !ws || ws.readyState !== WebSocket.OPEN)
      return Promise.reject(new ClientError('closed', 'socket not open'));
    if (this.joins.has(room.room)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.refuseJoin(room.room, new ClientError('timeout', `no hello for ${room.room} in time`));
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'leave', room: room.room }));
      }, this.options.requestTimeoutMs);
      this.joins.set(room.room, { hello: false, waiter: { resolve, reject, timer } });
      this.sendJoin(room);
    });
  }

  leave(room: string): void {
    if (!this.joins.has(room)) return;
    this.refuseJoin(room, new ClientError('closed', `left ${room}`));
    const ws = this.ws;
    if (!this.closed && ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'leave', room }));
  }

  send(message: OutgoingMessage): Promise<AckEvent> {
    const ws = this.ws;
    if (this.closed || !ws || ws.readyState !== WebSocket.OPEN)
      return Promise.reject(new ClientError('closed', 'socket not open'));
    const frame: SendFrame = { type: 'send', room: message.room, cid: message.cid, text: message.text };
    // The socket's nick (if any) is the one it was opened with; any other rides along.
    if (!this.options.present || message.nick !== this.options.nick) frame.nick = message.nick;
    return new Promise<AckEvent>((resolve, reject) => {
      const timer = setTimeout(
        () => this.settle(this.sends, message.cid, (p) => p.reject(new ClientError('timeout', 'no ack in time'))),
        this.options.requestTimeoutMs,
      );
      this.sends.get(message.cid)?.reject(new ClientError('closed', 'superseded by a retry'));
      this.sends.set(message.cid, { resolve, reject, timer });
      ws.send(JSON.stringify(frame));
    });
  }

  ping(): Promise<PingSample> {
    const ws = this.ws;
    if (this.closed || !ws || ws.readyState !== WebSocket.OPEN)
      return Promise.reject(new ClientError('closed', 'socket not open'));
    const t0 = Date.now();
    return new Promise<PingSample>((resolve, reject) => {
      const entry: Pending<PingSample> = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const list = this.pings.get(t0);
          if (list) {
            const i = list.indexOf(entry);
            if (i >= 0) list.splice(i, 1);
            if (list.length === 0) this.pings.delete(t0);
          }
          reject(new ClientError('timeout', 'no pong in time'));
        }, this.options.requestTimeoutMs),
      };
      const list = this.pings.get(t0);
      if (list) list.push(entry);
      else this.pings.set(t0, [entry]);
      const frame: PingFrame = { type: 'ping', t: t0 };
      ws.send(JSON.stringify(frame));
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.watchdog?.stop();
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.close(CLOSE.normal);
      // A dead peer never answers the close handshake; ws would wait 30 s.
      const kill = setTimeout(() => ws.terminate(), 1000);
      kill.unref();
      ws.once('close', () => clearTimeout(kill));
    } else ws?.terminate();
    const err = new ClientError('closed', 'transport closed');
    for (const p of this.sends.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.sends.clear();
    for (const list of this.pings.values()) {
      for (const p of list) {
        clearTimeout(p.timer);
        p.reject(err);
      }
    }
    this.pings.clear();
    for (const j of this.joins.values()) {
      if (!j.waiter) continue;
      clearTimeout(j.waiter.timer);
      j.waiter.reject(err);
      j.waiter = undefined;
    }
  }

  private sendJoin(r: TransportRoom): void {
    const join: JoinFrame = { type: 'join', room: r.room, ...r.position };
    this.ws?.send(JSON.stringify(join));
  }

  /** Forgets a room (refused, timed out or left), rejecting its live join if one waits. */
  private refuseJoin(room: string, err: ClientError): void {
    const j = this.joins.get(room);
    if (!j) return;
    this.joins.delete(room);
    if (j.waiter) {
      clearTimeout(j.waiter.timer);
      j.waiter.reject(err);
    }
  }

  private fail(err: ClientError): void {
    if (this.closed) return;
    this.close();
    this.handlers.onDown(err);
  }

  private settle<T>(map: Map<string, Pending<T>>, key: string, how: (p: Pending<T>) => void): void {
    const p = map.get(key);
    if (!p) return;
    map.delete(key);
    clearTimeout(p.timer);
    how(p);
  }

  private settlePing(t: number, server: number): void {
    const list = this.pings.get(t);
    const p = list?.shift();
    if (!list || !p) return;
    if (list.length === 0) this.pings.delete(t);
    clearTimeout(p.timer);
    p.resolve({ t0: t, server, t3: Date.now() });
  }
}

/** A refused upgrade as a ClientError: 401 is fatal, 400 on a TLS port means plain ws:// to wss. */
function upgradeRefusal(status: number): ClientError {
  if (status === 401) return new ClientError('unauthorized', 'server refused the token', { status });
  if (status >= 500) return new ClientError('unavailable', `upgrade refused with HTTP ${status}`, { status });
  return new ClientError('protocol', `upgrade refused with HTTP ${status}`, { status });
}

export const wsTransport: TransportFactory = (options, handlers) => new WsTransport(options, handlers);
