/**
 * HTTPS and WSS on one port. A plain TCP listener looks at the first byte of
 * each connection: a TLS handshake (0x16) goes on to the HTTPS server, which
 * never listens itself; anything else is a client speaking plain HTTP to a
 * TLS port and gets one JSON 400 that says so, instead of a reset that looks
 * like a dead server.
 */
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { Server as HttpsServer } from 'node:https';

/** First byte of a TLS record carrying a handshake (RFC 8446 section 5.1). */
const TLS_HANDSHAKE = 0x16;
/** A connection that sends nothing for this long is dropped before TLS starts, ms. */
const FIRST_BYTE_TIMEOUT_MS = 10_000;

const PLAIN_HTTP_ANSWER = (() => {
  const body = JSON.stringify({
    type: 'error',
    code: 'https_required',
    message: 'this server speaks https: use an https:// URL',
  });
  return [
    'HTTP/1.1 400 Bad Request',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
})();

/** The TCP listener in front of `https`; listen and close it, not `https`. */
export function tlsFront(https: HttpsServer): TcpServer {
  return createTcpServer((socket: Socket) => {
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      // Handed back to the stream: the TLS socket reads what is buffered first.
      socket.unshift(chunk);
      if (chunk[0] === TLS_HANDSHAKE) https.emit('connection', socket);
      else socket.end(PLAIN_HTTP_ANSWER);
    });
  });
}
