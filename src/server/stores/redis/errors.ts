import type { Redis } from 'ioredis';
import { ProtocolError } from '../../../protocol/index.js';

/** Replies that mean "Redis is there but cannot serve now", not a bug. */
const TRANSIENT_REPLY_RE = /^(LOADING|BUSY|MISCONF|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)/;

/** The 503 every call gets while Redis cannot be reached. */
export function unavailable(why: string): ProtocolError {
  return new ProtocolError('unavailable', `store unavailable: ${why}`, { retryAfterMs: 1000 });
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Connection trouble and transient replies become 503; anything else stays an internal error. */
export function toStoreError(err: unknown): Error {
  if (err instanceof ProtocolError) return err;
  // ioredis types ReplyError as `any`, so it is recognised by name.
  if (err instanceof Error && err.name === 'ReplyError' && !TRANSIENT_REPLY_RE.test(err.message)) return err;
  return unavailable(errorMessage(err));
}

/** Hides a password in a Redis URL for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** QUIT when connected (lets Redis finish replies), else drop the socket. */
export async function quit(redis: Redis | undefined): Promise<void> {
  if (redis === undefined) return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
