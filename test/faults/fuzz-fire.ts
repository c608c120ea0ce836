/**
 * Throws fuzz inputs at a server over raw sockets and notes how it answered:
 * the HTTP status (or none), and for WebSocket inputs whether the upgrade
 * happened and which close code the server sent. Every wait is bounded.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import type { HttpInput } from './fuzz-inputs.js';
import type { WsInput } from './fuzz-ws-inputs.js';

export interface Outcome {
  /** HTTP status of the first response, if one came. */
  status?: number;
  /** WebSocket close code the server sent, if any. */
  closeCode?: number;
  upgraded?: boolean;
  /** The server closed the connection (rather than us giving up). */
  serverClosed: boolean;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

const STATUS_RE = /^HTTP\/1\.[01] (\d{3})/;

export async function fireHttp(port: number, input: HttpInput, waitMs: number): Promise<Outcome> {
  const s = await connect(port);
  s.on('error', () => undefined);
  const out: Outcome = { serverClosed: false };
  let received = '';
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    s.on('data', (b: Buffer) => {
      if (received.length < 4096) received += b.toString('latin1');
      const m = STATUS_RE.exec(received);
      if (m && out.status === undefined) out.status = Number(m[1]);
      // The head is all we judge by; a held poll or a stream may go on for long.
      if (received.includes('\r\n\r\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    s.on('close', () => {
      out.serverClosed = true;
      clearTimeout(timer);
      resolve();
    });
  });
  const bytes = input.truncateAt === undefined ? input.bytes : input.bytes.subarray(0, input.truncateAt);
  if (input.dripMs !== undefined) {
    for (let i = 0; i < bytes.length && !s.destroyed; i++) {
      s.write(bytes.subarray(i, i + 1));
      await new Promise((r) => setTimeout(r, input.dripMs));
    }
  } else s.write(bytes);
  if (input.truncateAt !== undefined) s.end();
  await done;
  s.destroy();
  return out;
}

/** A real upgrade handshake on a raw socket, then the input's frames. */
export async function fireWs(port: number, input: WsInput, waitMs: number): Promise<Outcome> {
  const s = await connect(port);
  s.on('error', () => undefined);
  const out: Outcome = { serverClosed: false, upgraded: false };
  let buf = Buffer.alloc(0);
  let headDone = false;
  const upgraded = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), waitMs);
    s.on('data', (b: Buffer) => {
      buf = Buffer.concat([buf, b]);
      if (!headDone) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        headDone = true;
        const m = STATUS_RE.exec(buf.subarray(0, end).toString('latin1'));
        out.status = m ? Number(m[1]) : undefined;
        buf = buf.subarray(end + 4);
        clearTimeout(timer);
        resolve(out.status === 101);
      }
      const code = closeCodeIn(buf);
      if (code !== undefined) out.closeCode = code;
    });
    s.on('close', () => {
      out.serverClosed = true;
      clearTimeout(timer);
      resolve(false);
    });
  });
  const session = 'fz' + randomBytes(12).toString('base64url');
  s.write(
    `GET /ws?session=${session}&nick=fuzz HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
      `Upgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  out.upgraded = await upgraded;
  if (!out.upgraded) {
    s.destroy();
    return out;
  }
  for (const f of input.frames) if (!s.destroyed) s.write(f);
  await new Promise<void>((resolve) => {
    if (s.destroyed) return resolve();
    const timer = setTimeout(resolve, waitMs);
    s.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  s.destroy();
  return out;
}

/** Walks server frames (unmasked) and returns the code of a close frame, if one is there. */
function closeCodeIn(buf: Buffer): number | undefined {
  let off = 0;
  while (off + 2 <= buf.length) {
    const opcode = buf[off]! & 0x0f;
    let len = buf[off + 1]! & 0x7f;
    let head = 2;
    if (len === 126) {
      if (off + 4 > buf.length) return undefined;
      len = buf.readUInt16BE(off + 2);
      head = 4;
    } else if (len === 127) {
      if (off + 10 > buf.length) return undefined;
      len = Number(buf.readBigUInt64BE(off + 2));
      head = 10;
    }
    if (off + head + len > buf.length) return undefined;
    if (opcode === 8) return len >= 2 ? buf.readUInt16BE(off + head) : 1005;
    off += head + len;
  }
  return undefined;
}

/** Runs `tasks` with at most `limit` at once. */
export async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
