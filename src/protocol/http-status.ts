/**
 * What an HTTP error answer means to a client, in one place for every client
 * of the contract (the ChatClient's transports and the CLI's own requests).
 */
import type { ErrorCode } from './codes.js';
import { isErrorCode } from './codes.js';
import { isRecord } from './validate.js';

/** The codes a bare HTTP status stands for. */
export type StatusCode = 'unauthorized' | 'rate_limited' | 'unavailable';

/**
 * The error code an HTTP status stands for on its own, when the answer names
 * none (a refused WebSocket upgrade, an EventSource error, a proxy's page):
 * 401 is `unauthorized`, 429 `rate_limited`, any 5xx `unavailable` (the server
 * or its store is away for now: try again or elsewhere). Undefined for any
 * other status, which no retry can fix.
 */
export function codeForStatus(status: number): StatusCode | undefined {
  if (status === 401) return 'unauthorized';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return undefined;
}

/**
 * The code of an HTTP error answer: the body's `code` when it is one of the
 * contract's (`{"type":"error","code":…}`), else what the status stands for.
 */
export function errorCodeOf(status: number, body: unknown): ErrorCode | undefined {
  if (isRecord(body) && typeof body.code === 'string' && isErrorCode(body.code)) return body.code;
  return codeForStatus(status);
}
