import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  LIMITS,
  ProtocolError,
  parseCursor,
  validateEpoch,
  validateNick,
  validateSession,
} from '../../protocol/index.js';
import type { ServerContext } from '../context.js';
import { EncodedEvent } from '../fanout/encoded-event.js';
import { errorEvent, toErrorBody } from '../http/respond.js';
import { dmScopeOf } from '../fanout/dm-notices.js';
import type { Principal } from '../identity/principal.js';
import type { CloseReason } from '../fanout/event-sink.js';
import { Connection, type ConnectionOptions } from './connection.js';
import type { SseCursorLine } from './sse-cursor-line.js';

const PING = Buffer.from(': ping\n\n');

/**
 * One `text/event-stream` response carrying one room, or several (`GET
 * /events`, with a `cursorLine`: then each message's `id:` is the stream's
 * whole room cursor list, written per connection ahead of the shared frame).
 */
export class SseConnection extends Connection {
  readonly via = 'sse' as const;
  private readonly res: ServerResponse;
  private readonly cursorLine: SseCursorLine | undefined;

  constructor(options: ConnectionOptions & { res: ServerResponse; cursorLine?: SseCursorLine | undefined }) {
    super(options);
    this.res = options.res;
    this.cursorLine = options.cursorLine;
    this.res.on('close', () => this.close('peer'));
    this.res.on('error', () => this.close('error'));
  }

  heartbeat(): void {
    if (!this.closed) this.res.write(PING);
  }

  /**
   * Ends the stream with an `error` event (a join the store could not serve):
   * the client learns why rather than seeing a stream without a hello.
   */
  fail(err: ProtocolError, room: string): void {
    if (this.closed) return;
    this.res.write(new EncodedEvent(toErrorBody(err, { room })).sseFrame);
    this.close('error');
  }

  protected frameBytes(ev: EncodedEvent): number {
    if (this.cursorLine === undefined) return ev.sseFrame.length;
    return ev.seq === 0 ? ev.sseBody.length : ev.sseBody.length + this.cursorLine.estimate;
  }

  protected socketBufferedBytes(): number {
    return this.res.writableLength;
  }

  protected doWrite(batch: EncodedEvent[]): void {
    if (this.cursorLine !== undefined) {
      this.writeMulti(batch, this.cursorLine);
      return;
    }
    const last = batch.length - 1;
    // Corked, the tick's events leave in one writev.
    if (last > 0) this.res.cork();
    for (let i = 0; i < last; i++) this.res.write(batch[i]!.sseFrame);
    // The last write's callback is the drain signal: 'drain' fires only past the
    // stream's high-water mark, which a small buffer bound may never reach.
    this.res.write(batch[last]!.sseFrame, this.afterWrite);
    if (last > 0) this.res.uncork();
  }

  /**
   * Each message gets its own `id:` line (the cursor list after it) before the
   * shared `event:`/`data:` bytes. The tick's batch is copied into one buffer
   * and written once: two writes per message through the HTTP stream cost more
   * than the copy (docs/benchmarks.md, "Several rooms on one stream").
   */
  private writeMulti(batch: EncodedEvent[], line: SseCursorLine): void {
    const parts: Array<string | Buffer> = [];
    let size = 0;
    for (const ev of batch) {
      const e = ev.event;
      if (e.type === 'message') {
        const id = line.message(e.room, e.seq);
        parts.push(id);
        size += id.length;
      } else if (e.type === 'hello' && ev.start !== undefined) line.hello(e.room, e.epoch, ev.start);
      parts.push(ev.sseBody);
      size += ev.sseBody.length;
    }
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    for (const p of parts) at += typeof p === 'string' ? out.write(p, at, 'latin1') : p.copy(out, at);
    this.res.write(out, this.afterWrite);
  }

  private readonly afterWrite = (err?: Error | null): void => {
    if (err == null) this.onDrain();
  };

  protected doClose(_reason: CloseReason): void {
    // Ending the stream (overflow, shutdown) makes EventSource reconnect with Last-Event-ID.
    if (!this.res.writableEnded) this.res.end();
  }
}

/**
 * `GET /rooms/{room}/events`. `Last-Event-ID` wins over `after`, and then the
 * query's epoch is ignored (a browser resends its first URL).
 */
export function handleSse(options: {
  ctx: ServerContext;
  req: IncomingMessage;
  res: ServerResponse;
  room: string;
  query: URLSearchParams;
  address: string;
  /** Who the stream speaks for: an account's stream gets DM notices. */
  principal?: Principal | undefined;
}): void {
  const { ctx, req, res, room, query } = options;
  const nickRaw = query.get('nick');
  const session = validateSession(query.get('session'));
  const nick = nickRaw === null ? undefined : validateNick(nickRaw);
  const lastEventId = req.headers['last-event-id'];
  let after: number | undefined;
  let epoch: string | undefined;
  if (typeof lastEventId === 'string' && lastEventId !== '') {
    after = parseCursor(lastEventId, 'Last-Event-ID');
  } else {
    after = parseCursor(query.get('after'), 'after');
    epoch = validateEpoch(query.get('epoch'));
  }
  const conn = openEventStream({
    ctx,
    req,
    res,
    address: options.address,
    session,
    nick,
    principal: options.principal,
  });
  ctx.hub.join(conn, room, { after, epoch }).catch((err: unknown) => {
    conn.fail(errorEvent(err, ctx.logger), room);
  });
}

/**
 * Takes a connection slot, answers 200 with the event-stream headers and the
 * `retry:` line, and opens the hub's connection for the stream (one room or several).
 *
 * @throws ProtocolError `unavailable` (503) / `too_many` (429) past the connection limits, before any byte is sent.
 */
export function openEventStream(o: {
  ctx: ServerContext;
  req: IncomingMessage;
  res: ServerResponse;
  address: string;
  session: string | undefined;
  nick: string | undefined;
  cursorLine?: SseCursorLine | undefined;
  /** Who the stream speaks for: an account's stream gets DM notices. */
  principal?: Principal | undefined;
}): SseConnection {
  const { ctx, req, res } = o;
  res.once('close', ctx.resources.acquireConnection(o.address));
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    'X-Accel-Buffering': 'no',
    Connection: 'keep-alive',
  });
  res.write(`retry: ${LIMITS.sseRetryMs}\n\n`);
  req.socket.setNoDelay(true);
  const conn = new SseConnection({
    host: ctx.hub,
    session: o.session,
    nick: o.nick,
    address: o.address,
    dmScope: dmScopeOf(o.principal),
    maxBufferBytes: ctx.limits.maxBufferBytes,
    slowReaderMs: ctx.limits.slowReaderMs,
    res,
    cursorLine: o.cursorLine,
  });
  ctx.hub.connectionOpened(conn);
  return conn;
}
