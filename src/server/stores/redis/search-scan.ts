/**
 * Search on the Redis store: a bounded scan of the room's stream, newest
 * first, matched in this process (the same word rules as the other stores,
 * src/protocol/search.ts).
 *
 * Why a scan and not an index or a 501: Redis has no full-text index without
 * a module (RediSearch), which rtchat does not require, and keeping an
 * inverted index by hand would add write amplification to every append on
 * the hot path. A bounded scan costs nothing until someone searches and then
 * at most `scanMax` entries (~2 MB at 200-byte messages for the default
 * 10000) in chunks, and it is honest about where it stopped: the answer says
 * how many messages it read and whether it reached the start of the log.
 */
import type { Redis } from 'ioredis';
import { parseStreamEntries } from './parse.js';
import { SearchScan, pageOf } from '../search-page.js';
import type { SearchPage, SearchQuery } from '../store.js';

/** Entries per XREVRANGE: big enough to amortize the round trip, small enough not to stall Redis. */
const CHUNK = 1000;

/** Checks a `searchScan` option: messages one search reads at most, a positive integer. */
export function checkSearchScan(scan: number): number {
  if (!Number.isSafeInteger(scan) || scan < 1)
    throw new RangeError(`searchScan must be a positive integer, got ${scan}`);
  return scan;
}

export interface ScanOptions {
  redis: Redis;
  room: string;
  /** The room's stream key. */
  log: string;
  query: SearchQuery;
  /** Entries read at most, >= 1. */
  scanMax: number;
}

/**
 * Reads the stream from just below `before` (or its newest entry) down,
 * until the page is full, the log starts, or `scanMax` entries were read.
 * The answer always carries `scanned` and `complete`; when the bound cut the
 * scan short, `more` is true and `next` is the lowest seq read, so a client
 * can go on from there.
 */
export async function scanSearch(o: ScanOptions): Promise<SearchPage> {
  if (o.query.limit <= 0) return { results: [], more: false };
  const scan = new SearchScan(o.query);
  let end = o.query.before === undefined ? '+' : o.query.before - 1;
  let lowest: number | undefined;
  let reachedStart = false;
  while (!scan.full && scan.scanned < o.scanMax) {
    if (typeof end === 'number' && end < 1) {
      reachedStart = true;
      break;
    }
    const count = Math.min(CHUNK, o.scanMax - scan.scanned);
    const from = typeof end === 'number' ? `${end}-0` : end;
    const entries = parseStreamEntries(o.room, await o.redis.xrevrange(o.log, from, '-', 'COUNT', count));
    for (const message of entries) {
      if (!scan.take(message)) break;
      lowest = message.seq;
    }
    if (entries.length < count) {
      reachedStart = !scan.full;
      break;
    }
    end = entries[entries.length - 1]!.seq - 1;
  }
  if (scan.full) return { ...scan.page(), scanned: scan.scanned, complete: true };
  if (!reachedStart && lowest !== undefined) {
    // At the bound: one look below tells whether anything was left unread.
    reachedStart = lowest <= 1 || (await o.redis.xrevrange(o.log, `${lowest - 1}-0`, '-', 'COUNT', 1)).length === 0;
  }
  const page = pageOf(scan.hits, o.query.limit);
  if (reachedStart || lowest === undefined) return { ...page, scanned: scan.scanned, complete: true };
  return { results: page.results, more: true, next: lowest, scanned: scan.scanned, complete: false };
}
