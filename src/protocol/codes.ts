/**
 * Stable error codes of protocol v1 and the HTTP status each one travels with.
 * Clients switch on `code`; the message is for people.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  /** Extension: plain HTTP reached a TLS port (answered before any TLS). */
  https_required: 400,
  invalid_text: 400,
  invalid_room: 400,
  invalid_nick: 400,
  unauthorized: 401,
  /** Extension: the request needs an account credential (DMs, server-side read markers). */
  forbidden: 403,
  /** Extension: the token (a JWT's `exp`, a ticket) is past its time; get a fresh one. */
  token_expired: 401,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  /** Extension: the nick belongs to an account or to another present session. */
  nick_taken: 409,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  /** Extension: a resource limit (connections, rooms per socket, polls) was hit. */
  too_many: 429,
  /** Extension: the store cannot take writes right now (e.g. Redis is down). */
  unavailable: 503,
  shutting_down: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_STATUS, code);
}

/** WebSocket close codes of the contract (RFC 6455 section 7.4.1), for the server and the client alike. */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  /** Never sent: what a socket reports when it dropped without a close frame (the peer is gone). */
  abnormal: 1006,
  invalidPayload: 1007,
  policy: 1008,
  tooBig: 1009,
  internal: 1011,
  /** Overloaded or too slow a reader: resume from your cursor. */
  tryAgainLater: 1013,
  /** Extension: the credential of the stream expired or was revoked; reconnect with a fresh token. */
  tokenExpired: 4001,
} as const;
