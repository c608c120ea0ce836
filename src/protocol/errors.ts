import { ERROR_STATUS, type ErrorCode } from './codes.js';

/**
 * The one error class that crosses the wire. Anything thrown inside the server
 * that is not a ProtocolError becomes `internal` and is logged.
 */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: { retryAfterMs?: number } = {}) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.retryAfterMs = options.retryAfterMs;
  }
}
