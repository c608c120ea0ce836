/**
 * HTTP/1.1 over one raw TCP socket, for what a client library hides: whether
 * an answer came before the body was read, whether the connection survived
 * it, several requests pipelined on one connection. Responses are parsed by
 * `Content-Length` only (what the server sends for everything but streams).
 */
import { connect, type Socket } from 'node:net';
import { track } from './tracker.js';
import { DEFAULT_WAIT_MS, deferred } from './wait-for.js';

export interface RawResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

export interface RawConnection {
  socket: Socket;
  /** Writes bytes as they are; resolves once the socket took them, rejects on a write error (EPIPE, reset). */
  write(data: string | Buffer): Promise<void>;
  /** Resolves with the `count` responses after those already returned, or rejects when the peer closes first. */
  responses(count: number, timeoutMs?: number): Promise<RawResponse[]>;
  /** Resolves when the peer has closed the connection (FIN or reset). */
  ended: Promise<'end' | 'reset'>;
  close(): void;
}

export function rawRequest(method: string, path: string, headers: Record<string, string | number> = {}): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: test'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

export async function openRaw(port: number, options: { localAddress?: string } = {}): Promise<RawConnection> {
  const from = options.localAddress;
  const socket = connect({ port, host: '127.0.0.1', ...(from !== undefined && { localAddress: from }) });
  const untrack = track(() => socket.destroy());
  const ended = deferred<'end' | 'reset'>();
  let buffer = Buffer.alloc(0);
  const parsed: RawResponse[] = [];
  let taken = 0;
  let wake: () => void = () => undefined;
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (let r = parseOne(buffer); r !== undefined; r = parseOne(buffer)) {
      parsed.push(r.response);
      buffer = buffer.subarray(r.length);
    }
    wake();
  });
  socket.on('end', () => ended.resolve('end'));
  socket.on('error', () => ended.resolve('reset'));
  socket.on('close', () => {
    untrack();
    ended.resolve('end');
    wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    write: (data) =>
      new Promise((resolve, reject) => {
        socket.write(data, (err) => (err ? reject(err) : resolve()));
      }),
    responses(count, timeoutMs = DEFAULT_WAIT_MS) {
      return new Promise((resolve, reject) => {
        const timeout = (): void => done(new Error(`timed out after ${timeoutMs} ms: ${count} responses`));
        const timer = setTimeout(timeout, timeoutMs);
        const done = (err?: Error): void => {
          clearTimeout(timer);
          wake = () => undefined;
          if (err) reject(err);
          else {
            resolve(parsed.slice(taken, taken + count));
            taken += count;
          }
        };
        wake = () => {
          if (parsed.length - taken >= count) done();
          else if (socket.destroyed) done(new Error(`closed after ${parsed.length - taken} of ${count} responses`));
        };
        wake();
      });
    },
    ended: ended.promise,
    close: () => socket.destroy(),
  };
}

function parseOne(buf: Buffer): { response: RawResponse; length: number } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  if (buf.length < end + 4 + length) return undefined;
  return {
    response: {
      status: Number(statusLine.split(' ')[1]),
      headers,
      body: buf.subarray(end + 4, end + 4 + length).toString('utf8'),
    },
    length: end + 4 + length,
  };
}
