/**
 * The one HTTP path of the client: sends (POST), pings (GET /ping) and the
 * long-poll GETs, over keep-alive undici connections per transport instance.
 * The SSE and long-poll transports both use it, so send logic exists once.
 *
 * Long polls have a connection of their own (an undici Client): each poll
 * then queues behind the one before and reuses its socket. On the shared
 * Pool the next poll, sent as the last one's body ends, finds that socket
 * still busy and opens a new one, and the old one is closed idle seconds
 * later: a TCP handshake, a close and an extra radio wake-up per poll.
 */
import { Client, Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { errorCodeOf, isRecord, type AckEvent, type SendBody } from '../../protocol/index.js';
import { ClientError, toClientError } from '../errors.js';
import type { PingSample } from '../latency.js';
import type { OutgoingMessage } from '../model.js';

export interface HttpSenderOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:7878. */
  server: string;
  /** The client's session, sent with every POST (idempotency and rate-limit key). */
  session: string;
  /** Bearer token. Default none. */
  token?: string;
  /** Trusted CAs for https (see tls-trust.ts). */
  ca?: string[];
  /** Bound on a send or ping without an answer, ms. */
  requestTimeoutMs: number;
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

export class HttpSender {
  readonly pool: Pool;
  private pollClient: Client | undefined;
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private closed = false;

  constructor(private readonly options: HttpSenderOptions) {
    this.base = new URL(options.server);
    // A held long poll, an SSE stream and a send may all be open at once.
    this.pool = new Pool(this.base.origin, {
      connections: 8,
      keepAliveTimeout: 30_000,
      pipelining: 1,
      ...this.trust(),
    });
    this.headers = options.token ? { authorization: `Bearer ${options.token}` } : {};
  }

  /** The `--ca` trust for every connection this sender opens (the pool's and the polls' own). */
  private trust(): { connect?: { ca: string[] } } {
    return this.options.ca !== undefined ? { connect: { ca: this.options.ca } } : {};
  }

  url(path: string): URL {
    return new URL(path, this.base);
  }

  async send(message: OutgoingMessage): Promise<AckEvent> {
    const body: SendBody = { nick: message.nick, session: this.options.session, cid: message.cid, text: message.text };
    const res = await this.request({
      method: 'POST',
      path: `/rooms/${encodeURIComponent(message.room)}/messages`,
      body: JSON.stringify(body),
      timeoutMs: this.options.requestTimeoutMs,
    });
    if (!isRecord(res.body) || res.body.type !== 'ack' || typeof res.body.seq !== 'number') {
      throw new ClientError('protocol', 'send answered without an ack');
    }
    return res.body as unknown as AckEvent;
  }

  async ping(): Promise<PingSample> {
    const t0 = Date.now();
    const res = await this.request({ method: 'GET', path: `/ping?t=${t0}`, timeoutMs: this.options.requestTimeoutMs });
    const t3 = Date.now();
    if (!isRecord(res.body) || typeof res.body.server !== 'number')
      throw new ClientError('protocol', 'ping answered without a pong');
    return { t0, server: res.body.server, t3 };
  }

  /** A long poll (GET with a JSON answer) on the polls' own connection; as `request` otherwise. */
  poll(req: { path: string; timeoutMs: number; signal?: AbortSignal }): Promise<JsonResponse> {
    this.pollClient ??= new Client(this.base.origin, { keepAliveTimeout: 30_000, pipelining: 1, ...this.trust() });
    return this.request({ method: 'GET', ...req }, this.pollClient);
  }

  /**
   * One request with a JSON answer. HTTP errors become ClientErrors with the
   * server's code; network failures become 'unreachable', 'timeout' or 'closed'.
   */
  async request(
    req: { method: 'GET' | 'POST'; path: string; body?: string; timeoutMs: number; signal?: AbortSignal },
    dispatcher: Dispatcher = this.pool,
  ): Promise<JsonResponse> {
    if (this.closed) throw new ClientError('closed', 'transport closed');
    const url = this.url(req.path);
    let res: Dispatcher.ResponseData;
    try {
      res = await dispatcher.request({
        method: req.method,
        path: url.pathname + url.search,
        headers: req.body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' },
        body: req.body,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
        signal: req.signal,
      });
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() aborts requests under way
      throw this.closed ? new ClientError('closed', 'transport closed', { cause: err }) : toClientError(err);
    }
    let body: unknown;
    try {
      const text = await res.body.text();
      body = text === '' ? undefined : JSON.parse(text);
    } catch (err) {
      throw res.statusCode >= 400 ? httpError(res.statusCode, undefined, res.headers) : toClientError(err, 'protocol');
    }
    if (res.statusCode >= 400) throw httpError(res.statusCode, body, res.headers);
    return { status: res.statusCode, body };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // destroy() aborts held polls at once; close() would wait for them.
    this.pool.destroy().catch(() => undefined);
    this.pollClient?.destroy().catch(() => undefined);
  }
}

function httpError(status: number, body: unknown, headers: Dispatcher.ResponseData['headers']): ClientError {
  const code = errorCodeOf(status, body) ?? 'protocol';
  const message = isRecord(body) && typeof body.message === 'string' ? body.message : `HTTP ${status}`;
  let retryAfterMs: number | undefined;
  if (isRecord(body) && typeof body.retryAfterMs === 'number') retryAfterMs = body.retryAfterMs;
  else {
    const h = headers['retry-after'];
    const seconds = Number(Array.isArray(h) ? h[0] : h);
    if (Number.isFinite(seconds) && seconds >= 0) retryAfterMs = seconds * 1000;
  }
  return new ClientError(code, message, { status, ...(retryAfterMs !== undefined && { retryAfterMs }) });
}
