/**
 * WebSocket subscribers: rtchat (join frame, then events), the raw `ws` peer
 * (events on connect) and Socket.IO over engine.io v4 (spoken raw, so the
 * generator costs the same per frame whichever server it measures). Each
 * brings its session and nick in the handshake, as a chat client does: the
 * query of the upgrade (rtchat, raw `ws`) or the auth payload of Socket.IO's
 * CONNECT packet (`40{"session":…,"nick":…}`).
 */
import WebSocket from 'ws';
import {
  allRooms,
  authHeaders,
  deferred,
  identityQuery,
  wsBase,
  type Subscriber,
  type SubscriberContext,
} from './subscriber.js';

export type WsDialect = 'rtchat' | 'raw' | 'socketio';

export class WsSubscriber implements Subscriber {
  readonly ready: Promise<void>;
  dead = false;
  error: string | undefined;
  private closing = false;
  private readonly ws: WebSocket;

  constructor(ctx: SubscriberContext, dialect: WsDialect) {
    const d = deferred();
    this.ready = d.promise;
    const base = wsBase(ctx.url);
    const query = identityQuery(ctx.identity);
    const sio = '/socket.io/?EIO=4&transport=websocket';
    const path = dialect === 'rtchat' ? `/ws?${query}` : dialect === 'socketio' ? sio : `/?${query}`;
    const connectPacket = `40${JSON.stringify(ctx.identity)}`;
    const ws = new WebSocket(base + path, { perMessageDeflate: false, headers: authHeaders(ctx.token) });
    this.ws = ws;
    const { sink, index } = ctx;
    const rooms = allRooms(ctx);
    let hellos = 0;
    let isReady = false;
    const markReady = (): void => {
      isReady = true;
      d.resolve();
    };
    ws.on('open', () => {
      // One join per room on the one socket, as a client in several rooms does.
      if (dialect === 'rtchat') for (const room of rooms) ws.send(JSON.stringify({ type: 'join', room }));
    });
    ws.on('message', (data: Buffer) => {
      const s = data.toString();
      if (dialect === 'socketio') {
        const c = s.charCodeAt(0);
        if (c === 52 /* 4 message */) {
          if (s.charCodeAt(1) === 50 /* 2 event */) sink.json(index, s);
          else if (s.charCodeAt(1) === 48 /* 0 connect */) markReady();
        } else if (c === 50 /* 2 ping */) ws.send('3');
        else if (c === 48 /* 0 open */) ws.send(connectPacket);
        return;
      }
      if (!isReady) {
        if (s.includes('"type":"hello"')) {
          if (dialect !== 'rtchat' || ++hellos === rooms.length) markReady();
        } else if (s.includes('"type":"error"')) d.reject(new Error(`join refused: ${s.slice(0, 200)}`));
        return;
      }
      sink.json(index, s);
    });
    ws.on('error', (err) => d.reject(err));
    ws.on('close', (code, reason) => {
      if (!this.closing) this.die(new Error(`closed ${code} ${reason.toString()}`));
      d.reject(new Error(`closed ${code}`));
    });
  }

  private die(err: unknown): void {
    this.dead = true;
    this.error ??= err instanceof Error ? err.message : String(err);
  }

  close(): void {
    this.closing = true;
    this.ws.terminate();
  }
}
