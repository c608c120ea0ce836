import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import {
  CLOSE,
  ProtocolError,
  isRecord,
  parseClientFrame,
  type ClientFrame,
  type JoinFrame,
  type ServerEvent,
} from '../../protocol/index.js';
import { acceptMessage } from '../accept-message.js';
import type { ServerContext } from '../context.js';
import { EncodedEvent } from '../fanout/encoded-event.js';
import { errorEvent, toErrorBody } from '../http/respond.js';
import { OPEN, type Principal } from '../identity/principal.js';
import type { CloseReason } from '../fanout/event-sink.js';
import { Connection, type ConnectionOptions } from './connection.js';
import { wsText } from '../../util/ws-text.js';

const TEXT_FRAME = { binary: false, compress: false } as const;

/** One WebSocket; it may join several rooms. */
export class WsConnection extends Connection {
  readonly via = 'ws' as const;
  private readonly ws: WebSocket;
  /** The upgraded TCP socket (handed to us by `upgrade`), corked around a batch. */
  private readonly socket: Duplex | undefined;
  private readonly ctx: ServerContext;
  private missedPongs = 0;
  /** Who the socket speaks for (src/server/identity/principal.ts). */
  private readonly principal: Principal;
  /** Room → release of the socket's nick claim there. */
  private readonly claims = new Map<string, () => void>();
  private readonly closeHooks: Array<() => void> = [];

  constructor(
    options: ConnectionOptions & { ws: WebSocket; ctx: ServerContext; socket?: Duplex; principal?: Principal },
  ) {
    super(options);
    this.principal = options.principal ?? OPEN;
    this.ws = options.ws;
    this.socket = options.socket;
    this.ctx = options.ctx;
    this.ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    this.ws.on('pong', () => {
      this.missedPongs = 0;
    });
    this.ws.on('close', () => this.close('peer'));
    this.ws.on('error', (err) => {
      this.ctx.logger.debug({ err }, 'websocket error');
      this.close('peer');
    });
  }

  heartbeat(): void {
    if (this.closed) return;
    // A full reader's pings wait behind its data: the slow-reader rule judges it, not the pong count.
    if (this.isFull) return;
    if (this.missedPongs >= 2) {
      this.close('timeout');
      return;
    }
    this.missedPongs++;
    this.ws.ping();
  }

  /** Runs `fn` once when the connection closes (or at once if it has). */
  onClosed(fn: () => void): void {
    if (this.closed) fn();
    else this.closeHooks.push(fn);
  }

  /** Resolves when the socket is fully closed (close handshake done or socket gone). */
  closedPromise(): Promise<void> {
    if (this.ws.readyState === this.ws.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.ws.once('close', () => resolve()));
  }

  /** Drops the socket without a handshake (shutdown past its deadline). */
  terminate(): void {
    this.close('timeout');
    this.ws.terminate();
  }

  /** Sends a frame that answers this socket only (ack, error, pong). */
  reply(event: ServerEvent): void {
    this.send(new EncodedEvent(event));
  }

  protected frameBytes(ev: EncodedEvent): number {
    return ev.wsPayload.length;
  }

  protected socketBufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  protected doWrite(batch: EncodedEvent[]): void {
    const last = batch.length - 1;
    // Corked, the tick's frames leave in one writev instead of one syscall each.
    const cork = last > 0 && this.socket !== undefined;
    if (cork) this.socket.cork();
    for (let i = 0; i < last; i++) this.ws.send(batch[i]!.wsPayload, TEXT_FRAME);
    // One callback per batch: when it fires, the socket took the whole batch.
    this.ws.send(batch[last]!.wsPayload, TEXT_FRAME, this.afterWrite);
    if (cork) this.socket.uncork();
  }

  protected doClose(reason: CloseReason): void {
    for (const release of this.claims.values()) release();
    this.claims.clear();
    for (const fn of this.closeHooks.splice(0)) fn();
    switch (reason) {
      case 'expired':
        this.ws.close(CLOSE.tokenExpired, 'token_expired');
        return;
      case 'peer':
        return;
      case 'timeout':
        this.ws.terminate();
        return;
      case 'overflow':
        this.ws.close(CLOSE.tryAgainLater, 'too slow a reader: resume from your cursor');
        return;
      case 'shutdown':
        this.ws.close(CLOSE.goingAway, 'server shutting down');
        return;
      case 'error':
        this.ws.close(CLOSE.internal, 'internal error');
        return;
    }
  }

  private readonly afterWrite = (err?: Error | null): void => {
    if (err == null) this.onDrain();
  };

  private onFrame(data: RawData, isBinary: boolean): void {
    let frame: ClientFrame | undefined;
    try {
      if (isBinary) throw new ProtocolError('bad_request', 'binary frames are not supported; send JSON text');
      const raw = wsText(data);
      frame = parseClientFrame(raw);
      this.handle(frame);
    } catch (err) {
      this.replyError(err, frame ?? (isBinary ? undefined : rawContext(data)));
    }
  }

  private handle(frame: ClientFrame): void {
    const hub = this.ctx.hub;
    switch (frame.type) {
      case 'join': {
        if (!this.subs.has(frame.room) && this.subs.size >= this.ctx.limits.maxRoomsPerSocket) {
          throw new ProtocolError('too_many', `at most ${this.ctx.limits.maxRoomsPerSocket} rooms per socket`);
        }
        this.join(frame).catch((err: unknown) => this.replyError(err, frame));
        return;
      }
      case 'leave':
        hub.leave(this, frame.room);
        this.claims.get(frame.room)?.();
        this.claims.delete(frame.room);
        return;
      case 'ping':
        this.reply({ type: 'pong', t: frame.t, server: Date.now() });
        return;
      case 'send': {
        // An account needs no nick: it speaks as its name.
        const nick = frame.nick ?? this.nick ?? (this.principal.kind === 'account' ? this.principal.name : undefined);
        if (nick === undefined)
          throw new ProtocolError('invalid_nick', 'nick is required (in the URL or the send frame)');
        this.guardSend(frame.room, nick)
          .then((asNick) =>
            acceptMessage(this.ctx, {
              room: frame.room,
              nick: asNick,
              text: frame.text,
              session: this.session,
              cid: frame.cid,
              address: this.address,
            }),
          )
          .then(
            (r) => this.reply(r.ack),
            (err: unknown) => this.replyError(err, frame),
          );
        return;
      }
    }
  }

  /** A join: the room must be visible to the socket's principal, and its nick free there. */
  private async join(frame: JoinFrame): Promise<void> {
    const identity = this.ctx.identity;
    await identity.checkRoom(this.principal, frame.room);
    if (this.closed) return;
    if (this.nick !== undefined && !this.claims.has(frame.room)) {
      const holder = identity.holderOf(this.principal, this.session) ?? `conn:${this.id}`;
      this.claims.set(frame.room, identity.nicks.hold(frame.room, this.nick, holder));
    }
    await this.ctx.hub.join(this, frame.room, { after: frame.after, epoch: frame.epoch });
  }

  /** The nick a send is stored under (see Identity.nickFor), checked not to be another's. */
  private async guardSend(room: string, nick: string): Promise<string> {
    const identity = this.ctx.identity;
    await identity.checkRoom(this.principal, room);
    const asNick = (await identity.nickFor(this.principal, nick)) ?? nick;
    identity.nicks.check(room, asNick, identity.holderOf(this.principal, this.session) ?? `conn:${this.id}`);
    return asNick;
  }

  private replyError(err: unknown, context: { type?: string; room?: unknown; cid?: unknown } | undefined): void {
    const pe = errorEvent(err, this.ctx.logger);
    const extra: { cid?: string; room?: string } = {};
    if (context !== undefined) {
      if (context.type === 'send' && typeof context.cid === 'string') extra.cid = context.cid.slice(0, 64);
      if (context.type === 'join' && typeof context.room === 'string') extra.room = context.room.slice(0, 64);
    }
    this.reply(toErrorBody(pe, extra));
  }
}

/** The type, room and cid of a frame that failed validation, so the error can name them. */
function rawContext(data: RawData): { type?: string; room?: unknown; cid?: unknown } | undefined {
  try {
    const raw = wsText(data);
    const v: unknown = JSON.parse(raw);
    if (!isRecord(v) || typeof v.type !== 'string') return undefined;
    return { type: v.type, room: v.room, cid: v.cid };
  } catch {
    return undefined;
  }
}
