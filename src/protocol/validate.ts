/**
 * Validation of everything a client may send. Each function either returns a
 * clean, typed value or throws a ProtocolError with the contract's code; none
 * of them trusts the shape of parsed JSON (wrong types, `__proto__` keys).
 */
import { ProtocolError } from './errors.js';
import type { ClientFrame, SendBody } from './events.js';
import { CID_RE, LIMITS, ROOM_RE, SESSION_RE } from './limits.js';

// Cc other than \t and \n; \r is refused too (clients turn \r\n into \n).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TEXT_CONTROL_RE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const NICK_FORBIDDEN_RE = /[\p{Cc}\p{Cf}]/u;

type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Counts code points without allocating an array. */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export function validateRoom(room: unknown): string {
  if (typeof room !== 'string' || !ROOM_RE.test(room)) {
    throw new ProtocolError('invalid_room', 'room must match ^[a-z0-9][a-z0-9_-]{0,63}$');
  }
  return room;
}

export function validateNick(nick: unknown, maxNick: number = LIMITS.maxNick): string {
  if (typeof nick !== 'string') throw new ProtocolError('invalid_nick', 'nick is required');
  const n = codePointLength(nick);
  if (n < 1 || n > maxNick) {
    throw new ProtocolError('invalid_nick', `nick must be 1..${maxNick} characters`);
  }
  if (!nick.isWellFormed() || NICK_FORBIDDEN_RE.test(nick)) {
    throw new ProtocolError('invalid_nick', 'nick must not hold control or format characters');
  }
  return nick;
}

export function validateText(text: unknown, maxText: number = LIMITS.maxText): string {
  if (typeof text !== 'string') throw new ProtocolError('invalid_text', 'text is required');
  const n = codePointLength(text);
  if (n < 1 || n > maxText) {
    throw new ProtocolError('invalid_text', `text must be 1..${maxText} characters`);
  }
  if (!text.isWellFormed()) throw new ProtocolError('invalid_text', 'text is not well-formed Unicode');
  if (TEXT_CONTROL_RE.test(text)) {
    throw new ProtocolError('invalid_text', 'text must not hold control characters other than \\n and \\t');
  }
  return text;
}

export function validateSession(session: unknown): string | undefined {
  if (session === undefined || session === null || session === '') return undefined;
  if (typeof session !== 'string' || !SESSION_RE.test(session)) {
    throw new ProtocolError('bad_request', 'session must be 16-64 characters of [A-Za-z0-9_-]');
  }
  return session;
}

export function validateCid(cid: unknown): string | undefined {
  if (cid === undefined || cid === null) return undefined;
  if (typeof cid !== 'string' || !CID_RE.test(cid)) {
    throw new ProtocolError('bad_request', 'cid must be 1-64 characters of [A-Za-z0-9_-]');
  }
  return cid;
}

/** Parses a non-negative safe integer from a query value or a JSON number. */
export function parseCursor(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ProtocolError('bad_request', `${name} must be a non-negative integer`);
  }
  return n;
}

export function validateEpoch(epoch: unknown): string | undefined {
  if (epoch === undefined || epoch === null || epoch === '') return undefined;
  if (typeof epoch !== 'string' || epoch.length > 128) {
    throw new ProtocolError('bad_request', 'epoch must be a string');
  }
  return epoch;
}

/** Validates the body of `POST /rooms/{room}/messages`. */
export function validateSendBody(body: unknown, limits: { maxText?: number; maxNick?: number } = {}): SendBody {
  if (!isRecord(body)) throw new ProtocolError('bad_request', 'body must be a JSON object');
  const nick = validateNick(body.nick, limits.maxNick);
  const text = validateText(body.text, limits.maxText);
  const session = validateSession(body.session);
  const cid = validateCid(body.cid);
  const out: SendBody = { nick, text };
  if (session !== undefined) out.session = session;
  if (cid !== undefined) out.cid = cid;
  return out;
}

/**
 * Parses one WebSocket text frame. Throws `bad_request` for anything that is
 * not a known client frame; the caller answers with an error frame.
 */
export function parseClientFrame(raw: string, limits: { maxText?: number; maxNick?: number } = {}): ClientFrame {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ProtocolError('bad_request', 'frame is not valid JSON');
  }
  if (!isRecord(value)) throw new ProtocolError('bad_request', 'frame must be a JSON object');
  switch (value.type) {
    case 'join': {
      const room = validateRoom(value.room);
      const after = parseCursor(value.after, 'after');
      const epoch = validateEpoch(value.epoch);
      return { type: 'join', room, ...(after !== undefined && { after }), ...(epoch !== undefined && { epoch }) };
    }
    case 'leave':
      return { type: 'leave', room: validateRoom(value.room) };
    case 'send': {
      const room = validateRoom(value.room);
      const text = validateText(value.text, limits.maxText);
      const cid = validateCid(value.cid);
      const nick = value.nick === undefined ? undefined : validateNick(value.nick, limits.maxNick);
      return { type: 'send', room, text, ...(cid !== undefined && { cid }), ...(nick !== undefined && { nick }) };
    }
    case 'ping': {
      const t = value.t;
      if (typeof t !== 'number' || !Number.isFinite(t))
        throw new ProtocolError('bad_request', 'ping needs a numeric t');
      return { type: 'ping', t };
    }
    default:
      throw new ProtocolError('bad_request', 'unknown frame type');
  }
}

/** Turns \r\n and lone \r into \n, as the contract asks clients to. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
