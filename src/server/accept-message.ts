import type { AckEvent } from '../protocol/index.js';
import { ProtocolError } from '../protocol/index.js';
import type { ServerContext } from './context.js';

/** One message a client sent, by whichever transport (a POST, a WebSocket `send` frame). */
export interface MessageRequest {
  room: string;
  nick: string;
  text: string;
  session?: string | undefined;
  cid?: string | undefined;
  /** Rate-limit key for anonymous senders: the resolved client address. */
  address: string;
}

/**
 * Accepts a client's message, the same for every transport: the session's
 * (else the address's) rate limit, then the hub stores it durably, then the
 * ack. `created` is false for a retried cid, which acks the stored message.
 *
 * Throws ProtocolError `rate_limited` (with retryAfterMs) past the limit, and
 * whatever Hub.send throws (`shutting_down`, `unavailable`, store errors).
 */
export async function acceptMessage(
  ctx: ServerContext,
  req: MessageRequest,
): Promise<{ created: boolean; ack: AckEvent }> {
  const wait = ctx.limiter.take(req.session ?? 'addr:' + req.address);
  if (wait > 0) throw new ProtocolError('rate_limited', 'too many messages; slow down', { retryAfterMs: wait });
  const result = await ctx.hub.send({
    room: req.room,
    nick: req.nick,
    text: req.text,
    ...(req.session !== undefined && { session: req.session }),
    ...(req.cid !== undefined && { cid: req.cid }),
  });
  const m = result.message;
  return { created: result.status === 'created', ack: { type: 'ack', cid: m.cid, room: m.room, seq: m.seq, ts: m.ts } };
}
