/**
 * Runtime checks for what comes back from Redis. Replies are `unknown` to the
 * type system; these turn them into typed values or throw.
 */
import type { MessageEvent, PresenceMember, Via } from '../../../protocol/index.js';
import { VIAS } from '../../../protocol/index.js';

export class RedisReplyShapeError extends Error {
  readonly code = 'redis_reply_shape';
  constructor(what: string) {
    super(`unexpected Redis reply: ${what}`);
    this.name = 'RedisReplyShapeError';
  }
}

export function asArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new RedisReplyShapeError(what);
  return v;
}

export function asString(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new RedisReplyShapeError(what);
  return v;
}

export function asInt(v: unknown, what: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new RedisReplyShapeError(what);
  return n;
}

function isVia(v: unknown): v is Via {
  return typeof v === 'string' && (VIAS as readonly string[]).includes(v);
}

function toMember(v: unknown): PresenceMember | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { nick, via, since } = v as Record<string, unknown>;
  if (typeof nick !== 'string' || !isVia(via) || typeof since !== 'number') return undefined;
  return { nick, via, since };
}

function byJoinTime(a: PresenceMember, b: PresenceMember): number {
  return a.since - b.since || (a.nick < b.nick ? -1 : a.nick > b.nick ? 1 : 0);
}

/** Members as JSON strings (from a script reply), oldest first. */
export function parseMemberJson(list: unknown[]): PresenceMember[] {
  const out: PresenceMember[] = [];
  for (const v of list) {
    if (typeof v !== 'string') continue;
    const m = toMember(JSON.parse(v));
    if (m !== undefined) out.push(m);
  }
  return out.sort(byJoinTime);
}

/** Parses an XRANGE reply: `[[id, [field, value, …]], …]` with ids `<seq>-0`. */
export function parseStreamEntries(room: string, reply: unknown): MessageEvent[] {
  const entries = asArray(reply, 'XRANGE');
  const out: MessageEvent[] = new Array<MessageEvent>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const entry = asArray(entries[i], 'stream entry');
    const id = asString(entry[0], 'stream id');
    const fields = asArray(entry[1], 'stream fields');
    let nick = '';
    let cid = '';
    let text = '';
    let ts = 0;
    for (let f = 0; f + 1 < fields.length; f += 2) {
      const value = fields[f + 1];
      switch (fields[f]) {
        case 'n':
          nick = asString(value, 'nick');
          break;
        case 'c':
          cid = asString(value, 'cid');
          break;
        case 't':
          text = asString(value, 'text');
          break;
        case 's':
          ts = asInt(value, 'ts');
          break;
      }
    }
    out[i] = { type: 'message', room, seq: asInt(id.slice(0, id.indexOf('-')), 'seq'), nick, cid, text, ts };
  }
  return out;
}
