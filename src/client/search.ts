/**
 * Searching a room's history: `GET /rooms/{room}/search` (docs/protocol.md
 * 8.4, "Search"), for the TUI's `/search` and anything else that wants one
 * page of hits. Words are ANDed, case-insensitive; `word*` is a prefix.
 */
import { isRecord, type MessageEvent, type SearchAnswer } from '../protocol/index.js';
import { ClientError } from './errors.js';
import { callJson } from './http-json.js';

export interface SearchRequest {
  /** Base URL of the server, e.g. http://127.0.0.1:7878. */
  server: string;
  token?: string | undefined;
  /** Trusted CAs for https (see tls-trust.ts); Node's defaults when absent. */
  ca?: string[] | undefined;
  room: string;
  /** The words to find: 1..200 code points with at least one letter or digit. */
  q: string;
  /** Only messages with seq below this (the previous page's `next`). Default: the newest. */
  before?: number | undefined;
  /** Hits per page, 1..100 (the server clamps above 100). Default 20 (the server's). */
  limit?: number | undefined;
  /** Bound on the whole exchange, ms. Default 10000. */
  timeoutMs?: number | undefined;
}

/** One page of hits, newest first (the answer without its `type` and `room`). */
export interface SearchResults {
  results: MessageEvent[];
  /** More hits may exist: ask again with `before: next`. */
  more: boolean;
  next?: number | undefined;
  /** Redis servers: messages read, and false when the read stopped at the server's bound. */
  scanned?: number | undefined;
  complete?: boolean | undefined;
}

/**
 * @throws ClientError with the server's code on an HTTP error (`bad_request`
 *   for a bad query, `not_found` for a room the caller may not see,
 *   `unauthorized`, ...), `protocol` for an answer that is not a search
 *   result, `unreachable`/`timeout`/`tls` when no answer came.
 */
export async function searchRoom(r: SearchRequest): Promise<SearchResults> {
  const query = new URLSearchParams({ q: r.q });
  if (r.before !== undefined) query.set('before', String(r.before));
  if (r.limit !== undefined) query.set('limit', String(r.limit));
  const { body } = await callJson({
    server: r.server,
    token: r.token,
    ca: r.ca,
    timeoutMs: r.timeoutMs ?? 10_000,
    path: `/rooms/${encodeURIComponent(r.room)}/search?${query.toString()}`,
  });
  if (!isRecord(body) || body.type !== 'search' || !Array.isArray(body.results) || typeof body.more !== 'boolean') {
    throw new ClientError('protocol', 'search answered without a result list');
  }
  const answer = body as unknown as SearchAnswer;
  const out: SearchResults = { results: answer.results.filter(isMessage), more: answer.more };
  if (typeof answer.next === 'number') out.next = answer.next;
  if (typeof answer.scanned === 'number') out.scanned = answer.scanned;
  if (typeof answer.complete === 'boolean') out.complete = answer.complete;
  return out;
}

function isMessage(v: unknown): v is MessageEvent {
  return (
    isRecord(v) &&
    v.type === 'message' &&
    typeof v.seq === 'number' &&
    typeof v.nick === 'string' &&
    typeof v.text === 'string' &&
    typeof v.ts === 'number'
  );
}
