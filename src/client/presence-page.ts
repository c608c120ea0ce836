/**
 * One page of a room's member list, from `GET /rooms/{room}/presence?limit&offset`
 * (protocol 1.1, section 5): what /who shows in a room too big for `presence`
 * events to list (they then carry only `count`, with `truncated`).
 */
import { request } from 'undici';
import { isErrorCode, isRecord, type PresenceMember } from '../protocol/index.js';
import { ClientError, toClientError } from './errors.js';

export interface PresencePage {
  /** Position of the first member in the room's list (oldest `since` first). */
  offset: number;
  /** Members present in all. */
  count: number;
  members: PresenceMember[];
  /** True when members exist past this page. */
  truncated: boolean;
}

export interface PresencePageRequest {
  /** Base URL of the server. */
  server: string;
  room: string;
  token?: string | undefined;
  offset: number;
  /** Members per page, 1..1000 (the server's bounds). */
  limit: number;
  /** Bound on the whole exchange, ms; default 5000. */
  timeoutMs?: number;
}

/**
 * @throws ClientError with the server's code on an HTTP error, `protocol` for
 *   an answer that is not a presence object, `unreachable`/`timeout` otherwise.
 */
export async function fetchPresencePage(r: PresencePageRequest): Promise<PresencePage> {
  const url = new URL(`/rooms/${encodeURIComponent(r.room)}/presence`, r.server);
  url.searchParams.set('limit', String(r.limit));
  url.searchParams.set('offset', String(r.offset));
  const timeoutMs = r.timeoutMs ?? 5000;
  let status: number;
  let text: string;
  try {
    const res = await request(url, {
      headers: r.token === undefined ? {} : { authorization: `Bearer ${r.token}` },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    throw toClientError(err);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status >= 400) {
    const code = isRecord(body) && typeof body.code === 'string' && isErrorCode(body.code) ? body.code : 'protocol';
    const message = isRecord(body) && typeof body.message === 'string' ? body.message : `HTTP ${status}`;
    throw new ClientError(code, message, { status });
  }
  if (!isRecord(body) || !Array.isArray(body.members)) {
    throw new ClientError('protocol', 'presence answered without a member list');
  }
  const members = body.members as PresenceMember[];
  if (typeof body.count === 'number') {
    return { offset: r.offset, count: body.count, members, truncated: body.truncated === true };
  }
  // A 1.0 server ignores limit and offset and sends the whole list: page it here.
  const page = members.slice(r.offset, r.offset + r.limit);
  return { offset: r.offset, count: members.length, members: page, truncated: r.offset + page.length < members.length };
}
