import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { LIMITS, ProtocolError, validateNick, validateSession } from '../../protocol/index.js';
import type { ServerContext } from '../context.js';
import { errorEvent, toErrorBody } from '../http/respond.js';
import { redactUrl } from '../http/redact.js';
import { tokenOf } from '../identity/identity.js';
import { dmScopeOf } from '../fanout/dm-notices.js';
import { WsConnection } from './websocket.js';

/** The HTTP server's `upgrade` listener. */
export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * `GET /ws` with `Upgrade: websocket`, the WebSocket's door beside `handleSse` and `handleLongPoll`: the
 * endpoint, shutdown, credentials, session and nick, and the connection limit are checked before the
 * upgrade; then a WsConnection joins the hub. A refusal is the contract's JSON error (status, code,
 * `Retry-After`) written on the raw socket, which is then closed.
 */
export function websocketUpgrade(ctx: ServerContext): UpgradeListener {
  const { hub, identity, clientAddresses, resources, limits, logger } = ctx;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: LIMITS.maxFrame,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/ws') throw new ProtocolError('not_found', 'no such endpoint');
      if (hub.closing) throw new ProtocolError('shutting_down', 'server is shutting down');
      const principal = await identity.authenticate(req, url.searchParams);
      const token = tokenOf(req, url.searchParams);
      const session = validateSession(url.searchParams.get('session'));
      const nickRaw = url.searchParams.get('nick');
      const nick = await identity.nickFor(principal, nickRaw === null ? undefined : validateNick(nickRaw));
      if (socket.destroyed) return;
      // Last check before the upgrade: the slot is freed when the socket closes, whatever happens next.
      // Read here: the upgrade callback must not reference `req` (see destroyOnError).
      const peer = clientAddresses.resolve(req);
      socket.once('close', resources.acquireConnection(peer));
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        const conn = new WsConnection({
          host: hub,
          ctx,
          ws,
          socket,
          session,
          nick,
          principal,
          dmScope: dmScopeOf(principal),
          address: peer,
          maxBufferBytes: limits.maxBufferBytes,
          slowReaderMs: limits.slowReaderMs,
        });
        conn.onClosed(identity.watchStream(principal, token, () => conn.close('expired')));
        hub.connectionOpened(conn);
      });
    } catch (err) {
      const pe = errorEvent(err, logger);
      logger.debug({ address: clientAddresses.resolve(req), code: pe.code }, 'upgrade refused');
      rejectUpgrade(socket, pe);
    }
  };
  return (req, socket, head) => {
    destroyOnError(socket);
    logger.debug({ url: redactUrl(req.url) }, 'upgrade');
    void upgrade(req, socket, head);
  };
}

function rejectUpgrade(socket: Duplex, err: ProtocolError): void {
  const body = JSON.stringify(toErrorBody(err));
  const headers = [
    `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  if (err.retryAfterMs !== undefined) headers.push(`Retry-After: ${Math.max(1, Math.ceil(err.retryAfterMs / 1000))}`);
  socket.end(headers.join('\r\n') + '\r\n\r\n' + body);
}

/**
 * Destroys an upgraded socket on error. A function of its own on purpose: a
 * listener created inside the upgrade handler shares that handler's closure
 * context, and so kept the upgrade request (headers and all, ~1 KB of heap)
 * alive for as long as the WebSocket lived.
 */
function destroyOnError(socket: Duplex): void {
  socket.on('error', () => socket.destroy());
}
