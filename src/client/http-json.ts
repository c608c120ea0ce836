/**
 * One JSON request of the client core outside the transports (DMs, read
 * markers, search, presence pages): undici, the bearer token, the `--ca` trust, a bounded wait, and
 * the server's error code carried into a ClientError so callers switch on
 * `code` as they do for sends.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { errorCodeOf, isRecord } from '../protocol/index.js';
import { ClientError, toClientError } from './errors.js';

/** Where a client helper talks and with what credential. */
export interface ServerCall {
  /** Base URL of the server, e.g. http://127.0.0.1:7878. */
  server: string;
  /** Bearer token (an account token or a JWT). */
  token?: string | undefined;
  /** Trusted CAs for https (see tls-trust.ts); Node's defaults when absent. */
  ca?: string[] | undefined;
  /** Bound on the whole exchange, ms; default 5000. */
  timeoutMs?: number | undefined;
}

export interface JsonCall extends ServerCall {
  /** Path and query, starting with `/`. */
  path: string;
  /** Default 'GET'. */
  method?: 'GET' | 'POST';
  /** Sent as JSON. */
  body?: unknown;
}

/**
 * Sends the request and returns the status and parsed JSON of a 2xx answer.
 * @throws ClientError with the server's code (`forbidden`, `not_found`, …) on
 *   an HTTP error, `protocol` for a 2xx that is not JSON, and
 *   `unreachable`/`timeout`/`tls` when the server could not be asked.
 */
export async function callJson(c: JsonCall): Promise<{ status: number; body: unknown }> {
  const timeoutMs = c.timeoutMs ?? 5000;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (c.token !== undefined) headers.authorization = `Bearer ${c.token}`;
  if (c.body !== undefined) headers['content-type'] = 'application/json';
  // An agent of its own only for a private CA; otherwise undici's global pool.
  const dispatcher: Dispatcher | undefined = c.ca !== undefined ? new Agent({ connect: { ca: c.ca } }) : undefined;
  let status: number;
  let text: string;
  try {
    const res = await request(new URL(c.path, c.server), {
      method: c.method ?? 'GET',
      headers,
      ...(c.body !== undefined && { body: JSON.stringify(c.body) }),
      ...(dispatcher !== undefined && { dispatcher }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    throw toClientError(err);
  } finally {
    void dispatcher?.close();
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status >= 400) {
    const code = errorCodeOf(status, body) ?? 'protocol';
    const message = isRecord(body) && typeof body.message === 'string' ? body.message : `HTTP ${status}`;
    throw new ClientError(code, message, { status });
  }
  if (body === undefined) throw new ClientError('protocol', `${c.path} answered without JSON`);
  return { status, body };
}
