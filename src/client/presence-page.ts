/**
 * One page of a room's member list, from `GET /rooms/{room}/presence?limit&offset`
 * (protocol 1.1, section 5): what /who shows in a room too big for `presence`
 * events to list (they then carry only `count`, with `truncated`).
 */
import { isRecord, type PresenceMember } from '../protocol/index.js';
import { ClientError } from './errors.js';
import { callJson } from './http-json.js';

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
  /** Trusted CAs for https (see tls-trust.ts); Node's defaults when absent. */
  ca?: string[] | undefined;
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
  const query = new URLSearchParams({ limit: String(r.limit), offset: String(r.offset) });
  const { body } = await callJson({
    server: r.server,
    token: r.token,
    ca: r.ca,
    timeoutMs: r.timeoutMs ?? 5000,
    path: `/rooms/${encodeURIComponent(r.room)}/presence?${query.toString()}`,
  });
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
