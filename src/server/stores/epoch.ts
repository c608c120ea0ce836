import { randomBytes } from 'node:crypto';

/** A new opaque epoch: 16 hex characters (64 random bits), one per life of a room's log. */
export function newEpoch(): string {
  return randomBytes(8).toString('hex');
}

/**
 * A server-made cid for a send that came without one: `srv-` + 12 base64url
 * characters. Such sends are not idempotent, so the cid only has to be unique
 * enough for a client to tell messages apart.
 */
export function newServerCid(): string {
  return 'srv-' + randomBytes(9).toString('base64url');
}
