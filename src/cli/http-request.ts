/**
 * One JSON request over plain node:http(s). The scripting commands use this
 * instead of the full ChatClient or undici so that `rtchat send` loads almost
 * nothing besides what node already has.
 */
import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { diagnoseNetworkError, problemReason, type NetworkProblem } from '../client/network-errors.js';

export type RequestFailure =
  /** No connection was made (refused, DNS, connect timeout): nothing was sent. */
  | 'unreachable'
  /** Connected, but the answer did not come in time; the request may have been processed. */
  | 'timeout'
  /** Connected, then the connection broke; the request may have been processed. */
  | 'broken'
  /** The answer was not JSON. */
  | 'bad_response';

export class RequestError extends Error {
  readonly code: RequestFailure;
  /** The system error code when there is one, e.g. ECONNREFUSED. */
  readonly errno: string | undefined;
  /** What the failure means, when it is a known network fault (src/client/network-errors.ts). */
  readonly problem: NetworkProblem | undefined;
  /** `message` is in a person's words: "connection refused", never OpenSSL's text. */
  constructor(code: RequestFailure, message: string, errno?: string, problem?: NetworkProblem) {
    super(message);
    this.name = 'RequestError';
    this.code = code;
    this.errno = errno;
    this.problem = problem;
  }
}

/** A network error as a RequestError; `connected` tells whether the request may have left. */
function networkFailure(err: unknown, connected: boolean): RequestError {
  const d = diagnoseNetworkError(err);
  // A TLS failure happens before the request is written: nothing was sent.
  const sent = connected && d.problem !== 'not_tls' && d.problem !== 'untrusted_cert';
  return new RequestError(sent ? 'broken' : 'unreachable', d.reason, d.errno, d.problem);
}

/**
 * A TLS server answers plain HTTP by hanging up (Node) or with a 400 page
 * (nginx). When an http URL meets either, one TLS handshake tells whether
 * the URL should have been https; then the request never reached the app.
 */
async function explainPlainHttp(url: URL, failure: RequestError, timeoutMs: number): Promise<RequestError> {
  if (url.protocol !== 'http:') return failure;
  const { speaksTls } = await import('../client/tls-probe.js');
  if (!(await speaksTls(url, timeoutMs))) return failure;
  return new RequestError('unreachable', problemReason('tls_expected'), failure.errno, 'tls_expected');
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
    const fail = (err: RequestError, probe = false): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      request.destroy();
      if (!probe) reject(err);
      else void explainPlainHttp(url, err, connectTimeoutMs).then(reject);
    };
    const request = transport.request(url, {
      method: req.method ?? 'GET',
      headers,
      ...(req.agent && url.protocol === 'http:' ? { agent: req.agent } : {}),
      ...(req.ca !== undefined && url.protocol === 'https:' ? { ca: req.ca } : {}),
    });
    const connectTimer = setTimeout(() => {
      if (!connected) fail(new RequestError('unreachable', problemReason('timeout'), 'ETIMEDOUT', 'timeout'));
    }, connectTimeoutMs);
    const totalTimer = setTimeout(() => {
      fail(new RequestError(connected ? 'timeout' : 'unreachable', problemReason('timeout'), 'ETIMEDOUT', 'timeout'));
    }, timeoutMs);
    request.on('socket', (socket) => {
      // Over TLS the request leaves only after the handshake, so that is the "connected" that counts.
      const event = url.protocol === 'https:' ? 'secureConnect' : 'connect';
      if (!socket.connecting) {
        connected = true;
        return;
      }
      socket.once(event, () => {
        connected = true;
      });
    });
    request.on('error', (err: NodeJS.ErrnoException) => {
      const failure = networkFailure(err, connected);
      fail(failure, failure.problem === 'reset');
    });
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err: NodeJS.ErrnoException) => fail(networkFailure(err, true)));
      res.on('end', () => {
        if (settled) return;
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          // nginx answers plain HTTP on its TLS port with a 400 page.
          const failure = new RequestError('bad_response', `HTTP ${res.statusCode ?? 0}, not an rtchat answer`);
          fail(failure, res.statusCode === 400);
          return;
        }
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(totalTimer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    request.end(payload);
  });
}
