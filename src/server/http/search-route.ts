/**
 * `GET /rooms/{room}/search?q=TEXT&before=SEQ&limit=N` (docs/protocol.md 8.4,
 * "Search"): the room's retained messages that hold every word of `q`,
 * newest first, a page at a time.
 */
import type { ServerResponse } from 'node:http';
import {
  parseCursor,
  parseSearchQuery,
  ProtocolError,
  SEARCH_LIMITS,
  type SearchAnswer,
} from '../../protocol/index.js';
import type { ServerContext } from '../context.js';
import type { Principal } from '../identity/principal.js';
import { sendJson } from './respond.js';

export interface SearchRequest {
  ctx: ServerContext;
  res: ServerResponse;
  principal: Principal;
  /** Already checked against the room regex. */
  room: string;
  query: URLSearchParams;
}

/**
 * Answers `200 {"type":"search",...}`. The room is checked as for reading it
 * (a private room or DM of others is `404 not_found`, before the query is
 * even looked at); then `q` must hold 1..200 code points with at least one
 * word, `before` and `limit` must be integers (`limit` 1..100, default 20,
 * larger is clamped), else `400 bad_request`. An unknown room has no hits.
 */
export async function handleSearch(r: SearchRequest): Promise<void> {
  await r.ctx.identity.checkRoom(r.principal, r.room);
  const terms = parseSearchQuery(r.query.get('q'));
  const before = parseCursor(r.query.get('before'), 'before');
  const limit = parseCursor(r.query.get('limit'), 'limit') ?? SEARCH_LIMITS.limit;
  if (limit < 1) throw new ProtocolError('bad_request', 'limit must be at least 1');
  const page = await r.ctx.hub.search(r.room, { terms, before, limit: Math.min(limit, SEARCH_LIMITS.maxLimit) });
  const answer: SearchAnswer = { type: 'search', room: r.room, ...page };
  sendJson(r.res, 200, answer);
}
