/**
 * Errors of the client core. Callers switch on `code`; the message is for people.
 * Server-side codes (invalid_text, rate_limited, …) travel unchanged so the
 * outbox can tell a permanent refusal from a transient one.
 */
import { ProtocolError, type ErrorCode } from '../protocol/index.js';
import { diagnoseNetworkError, isSchemeProblem } from './network-errors.js';

export type ClientErrorCode =
  /** The server refused the token: retrying cannot help. */
  | 'unauthorized'
  /** Connection refused, reset, DNS failure: the server is not there. */
  | 'unreachable'
  /** No answer (or no heartbeat) in time. */
  | 'timeout'
  /** The server said something this client does not understand. */
  | 'protocol'
  /** The transport or client was closed while the operation was in flight. */
  | 'closed'
  /** A certificate problem or an http/https mismatch: retrying cannot help. */
  | 'tls'
  | ErrorCode;

export class ClientError extends Error {
  readonly code: ClientErrorCode;
  /** HTTP status when the error came from an HTTP answer. */
  readonly status: number | undefined;
  /** Set with `rate_limited`: how long the server asks us to wait. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ClientErrorCode,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClientError';
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isClientError(err: unknown): err is ClientError {
  return err instanceof ClientError;
}

/** Codes that mean "this very send can never succeed", so retrying is pointless. */
const PERMANENT_SEND_CODES: ReadonlySet<string> = new Set<ClientErrorCode>([
  'bad_request',
  'invalid_text',
  'invalid_room',
  'invalid_nick',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'too_large',
  'unsupported_media_type',
]);

export function isPermanentSendError(err: ClientError): boolean {
  return PERMANENT_SEND_CODES.has(err.code);
}

/**
 * Codes that end a client for good: the credential or the connection itself
 * is wrong, or the room does not exist for this credential (a private room).
 */
const FATAL_CODES: ReadonlySet<string> = new Set<ClientErrorCode>([
  'unauthorized',
  'token_expired',
  'tls',
  'https_required',
  'not_found',
]);

/** True when reconnecting cannot help: the client goes offline and says why. */
export function isFatalError(err: ClientError): boolean {
  return FATAL_CODES.has(err.code);
}

/**
 * Wraps anything thrown by a socket or fetch into a ClientError. A network
 * fault gets a message in a person's words ("connection refused", "the
 * server does not speak TLS (https)"), never the library's raw text; the
 * original stays as `cause`. A TLS problem is `tls`, which ends the client.
 */
export function toClientError(err: unknown, fallback: ClientErrorCode = 'unreachable'): ClientError {
  if (err instanceof ClientError) return err;
  if (err instanceof ProtocolError) return new ClientError(err.code, err.message, { status: err.status, cause: err });
  const d = diagnoseNetworkError(err);
  if (d.problem === undefined) {
    const message = err instanceof Error ? err.message : String(err);
    return new ClientError(fallback, message, { cause: err });
  }
  if (isSchemeProblem(d.problem)) return new ClientError('tls', d.reason, { cause: err });
  return new ClientError(d.problem === 'timeout' ? 'timeout' : fallback, d.reason, { cause: err });
}
