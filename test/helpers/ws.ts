/**
 * A WebSocket test client over `ws`: collects every server frame, parses the
 * JSON ones, and lets a test await a frame or the close with a deadline.
 */
import WebSocket from 'ws';
import type { ClientFrame, ServerEvent } from '../../src/protocol/index.js';
import { withQuery, type Query } from './http.js';
import { DEFAULT_WAIT_MS, deferred, Inbox, withTimeout } from './wait-for.js';
import { track } from './tracker.js';

export interface WsClose {
  code: number;
  reason: string;
}

export interface WsClient {
  ws: WebSocket;
  /** Parsed JSON frames, in order of arrival. */
  frames: Inbox<ServerEvent>;
  /** Every text frame as received (to check nothing secret leaks). */
  raw: string[];
  /** Protocol-level pings received from the server so far. */
  readonly pings: number;
  /** Resolves when the socket closes, with the code the client saw. */
  closed: Promise<WsClose>;
  readonly isOpen: boolean;
  send(frame: ClientFrame | Record<string, unknown>): void;
  /** Sends raw data; `binary: false` sends a Buffer as a text frame, unchecked. */
  sendRaw(data: string | Buffer, options?: { binary?: boolean }): void;
  /** The next frame (after the last one returned) matching `pred`. */
  next<T extends ServerEvent = ServerEvent>(pred?: (f: ServerEvent) => boolean, timeoutMs?: number): Promise<T>;
  /** Sends a join and resolves with its `hello`. */
  join(room: string, options?: { after?: number; epoch?: string; timeoutMs?: number }): Promise<ServerEvent>;
  waitClose(timeoutMs?: number): Promise<WsClose>;
  close(code?: number): void;
}

export interface WsOptions {
  query?: Query;
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer`. */
  token?: string;
  /** Open deadline in ms. Default DEFAULT_WAIT_MS (10000). */
  timeoutMs?: number;
  /** Answer protocol pings (as any sane client does). Default true; false plays a dead peer. */
  autoPong?: boolean;
  /** Source address, e.g. '127.0.0.2' to be another client on loopback. */
  localAddress?: string;
}

/** Refused upgrade: the HTTP status the server answered instead of 101. */
export class UpgradeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upgrade refused with HTTP ${status}: ${body}`);
    this.name = 'UpgradeRefused';
  }
}

export async function openWs(url: string, options: WsOptions = {}): Promise<WsClient> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const ws = new WebSocket(withQuery(url, options.query), {
    headers,
    autoPong: options.autoPong ?? true,
    ...(options.localAddress !== undefined && { localAddress: options.localAddress }),
  });
  const frames = new Inbox<ServerEvent>();
  const raw: string[] = [];
  let pings = 0;
  const closed = deferred<WsClose>();
  const untrack = track(() => ws.terminate());

  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const buf = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data;
    const text = buf.toString('utf8');
    raw.push(text);
    try {
      frames.push(JSON.parse(text) as ServerEvent);
    } catch {
      // Not JSON: kept in `raw` only; a test on the contract will see it there.
    }
  });
  // Counted from the start: a ping may arrive in the same chunk as the 101.
  ws.on('ping', () => pings++);
  ws.on('close', (code, reason) => {
    untrack();
    frames.end(new Error(`socket closed with ${code}`));
    closed.resolve({ code, reason: reason.toString('utf8') });
  });
  // Errors are followed by 'close'; a listener keeps them from being thrown.
  ws.on('error', () => undefined);

  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => reject(new UpgradeRefused(res.statusCode ?? 0, body)));
      res.on('error', () => reject(new UpgradeRefused(res.statusCode ?? 0, body)));
    });
    ws.once('error', (err) => reject(err));
  });
  try {
    await withTimeout(opened, options.timeoutMs ?? DEFAULT_WAIT_MS, `WebSocket open ${url}`);
  } catch (err) {
    ws.terminate();
    untrack();
    throw err;
  }

  const client: WsClient = {
    ws,
    frames,
    raw,
    get pings() {
      return pings;
    },
    closed: closed.promise,
    get isOpen() {
      return ws.readyState === WebSocket.OPEN;
    },
    send(frame) {
      ws.send(JSON.stringify(frame));
    },
    sendRaw(data, opts = {}) {
      ws.send(data, { binary: opts.binary ?? typeof data !== 'string' });
    },
    next<T extends ServerEvent = ServerEvent>(
      pred: (f: ServerEvent) => boolean = () => true,
      timeoutMs = DEFAULT_WAIT_MS,
    ) {
      return frames.next(pred, timeoutMs, 'a matching WebSocket frame') as Promise<T>;
    },
    async join(room, opts = {}) {
      const frame: Record<string, unknown> = { type: 'join', room };
      if (opts.after !== undefined) frame.after = opts.after;
      if (opts.epoch !== undefined) frame.epoch = opts.epoch;
      client.send(frame);
      return client.next((f) => f.type === 'hello' && f.room === room, opts.timeoutMs ?? DEFAULT_WAIT_MS);
    },
    waitClose(timeoutMs = DEFAULT_WAIT_MS) {
      return withTimeout(closed.promise, timeoutMs, 'the WebSocket to close');
    },
    close(code) {
      ws.close(code);
    },
  };
  return client;
}

/** Opens a socket expecting the upgrade to be refused; resolves with the HTTP status. */
export async function expectUpgradeRefused(url: string, options: WsOptions = {}): Promise<UpgradeRefused> {
  try {
    const client = await openWs(url, options);
    client.ws.terminate();
  } catch (err) {
    if (err instanceof UpgradeRefused) return err;
    throw err;
  }
  throw new Error(`upgrade to ${url} was accepted`);
}
