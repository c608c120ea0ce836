/**
 * One JSON request over plain node:http(s). The scripting commands use this
 * instead of the full ChatClient or undici so that `rtchat send` loads almost
 * nothing besides what node already has.
 */
import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { describeTlsError } from '../client/tls-errors.js';

export type RequestFailure =
  /** No connection was made (refused, DNS, connect timeout): nothing was sent. */
  | 'unreachable'
  /** Connected, but the answer did not come in time; the request may have been processed. */
  | 'timeout'
  /** Connected, then the connection broke; the request may have been processed. */
  | 'broken'
  /** The answer was not JSON. */
  | 'bad_response'
  /** A certificate problem or an http/https mismatch: retrying cannot help. */
  | 'tls';

export class RequestError extends Error {
  readonly code: RequestFailure;
  /** The system error code when there is one, e.g. ECONNREFUSED. */
  readonly errno: string | undefined;
  constructor(code: RequestFailure, message: string, errno?: string) {
    super(message);
    this.name = 'RequestError';
    this.code = code;
    this.errno = errno;
  }
}

export interface JsonRequest {
  url: string;
  /** Default 'GET'. */
  method?: 'GET' | 'POST';
  /** Serialised as the JSON body. */
  body?: unknown;
  token?: string | undefined;
  /** Trusted CAs for https (see src/client/tls-trust.ts); Node's defaults when absent. */
  ca?: string[] | undefined;
  /** Time to establish the connection, ms; default 3000. */
  connectTimeoutMs?: number;
  /** Time for the whole exchange, ms; default 10000. */
  timeoutMs?: number;
  /** A keep-alive agent when several requests go to one server. */
  agent?: http.Agent;
}

export interface JsonResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

let httpsModule: typeof import('node:https') | undefined;

/** Sends one request and parses the JSON answer, whatever its status. */
export async function requestJson(req: JsonRequest): Promise<JsonResponse> {
  const url = new URL(req.url);
  const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  // TLS costs a noticeable load time; only pay it for https servers.
  const transport = url.protocol === 'https:' ? (httpsModule ??= await import('node:https')) : http;
  const connectTimeoutMs = req.connectTimeoutMs ?? 3000;
  const timeoutMs = req.timeoutMs ?? 10_000;

  return new Promise<JsonResponse>((resolve, reject) => {
    let connected = false;
    let settled = false;
    const fail = (err: RequestError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      request.destroy();
      reject(err);
    };
    const request = transport.request(url, {
      method: req.method ?? 'GET',
      headers,
      ...(req.agent && url.protocol === 'http:' ? { agent: req.agent } : {}),
      ...(req.ca !== undefined && url.protocol === 'https:' ? { ca: req.ca } : {}),
    });
    const connectTimer = setTimeout(() => {
      if (!connected) fail(new RequestError('unreachable', 'connect timed out', 'ETIMEDOUT'));
    }, connectTimeoutMs);
    const totalTimer = setTimeout(() => {
      fail(new RequestError(connected ? 'timeout' : 'unreachable', 'no answer in time', 'ETIMEDOUT'));
    }, timeoutMs);
    request.on('socket', (socket) => {
      if (!socket.connecting) {
        connected = true;
        return;
      }
      socket.once('connect', () => {
        connected = true;
      });
      // TLS sockets report 'secureConnect'; the TCP connect is enough here.
    });
    request.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'EIO';
      const tls = describeTlsError(err);
      if (tls !== undefined) return fail(new RequestError('tls', tls, code));
      fail(new RequestError(connected ? 'broken' : 'unreachable', err.message, code));
    });
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err: NodeJS.ErrnoException) => fail(new RequestError('broken', err.message, err.code)));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(totalTimer);
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          reject(new RequestError('bad_response', `HTTP ${res.statusCode ?? 0}: the answer is not JSON`));
          return;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    request.end(payload);
  });
}
