import { randomBytes } from 'node:crypto';

/** A fresh protocol session id (22 chars of base64url, within 16..64). */
export function newSession(): string {
  return randomBytes(16).toString('base64url');
}

/** A fresh client message id. */
export function newCid(prefix = 'c'): string {
  return `${prefix}-${randomBytes(8).toString('base64url')}`;
}

let roomCounter = 0;
/** A room name unique within this test file, so tests sharing a server never collide. */
export function newRoom(prefix = 'r'): string {
  roomCounter += 1;
  return `${prefix}-${process.pid}-${roomCounter}-${randomBytes(3).toString('hex')}`;
}
