import type { ServerResponse } from 'node:http';
import { ProtocolError, type ErrorEvent } from '../../protocol/index.js';
import type { Logger } from '../logger.js';

/** Writes a JSON body (already serialized) with its length. */
export function sendJsonText(
  res: ServerResponse,
  status: number,
  body: string,
  headers?: Record<string, string>,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendJsonText(res, status, JSON.stringify(value));
}

/** The contract's error object for a thrown value; anything unknown is logged and becomes `internal`. */
export function errorEvent(err: unknown, logger: Logger): ProtocolError {
  if (err instanceof ProtocolError) return err;
  logger.error({ err }, 'internal error');
  return new ProtocolError('internal', 'internal server error');
}

export function toErrorBody(
  err: ProtocolError,
  extra?: { cid?: string | undefined; room?: string | undefined },
): ErrorEvent {
  const body: ErrorEvent = { type: 'error', code: err.code, message: err.message };
  if (extra?.cid !== undefined) body.cid = extra.cid;
  if (extra?.room !== undefined) body.room = extra.room;
  if (err.retryAfterMs !== undefined) body.retryAfterMs = err.retryAfterMs;
  return body;
}

/** Answers an HTTP request with the JSON error, `Retry-After` when the error has one. */
export function sendError(res: ServerResponse, err: unknown, logger: Logger, headers?: Record<string, string>): void {
  const pe = errorEvent(err, logger);
  const extra: Record<string, string> = { ...headers };
  if (pe.retryAfterMs !== undefined) extra['Retry-After'] = String(Math.max(1, Math.ceil(pe.retryAfterMs / 1000)));
  sendJsonText(res, pe.status, JSON.stringify(toErrorBody(pe)), extra);
}
