/**
 * What the stores share to answer `search`: turning "limit + 1 hits" into a
 * page with `more` and `next`, and the scan that the stores without an index
 * run over messages in newest-first order.
 */
import { searchMatcher, type MessageEvent } from '../../protocol/index.js';
import type { SearchPage, SearchQuery } from './store.js';

/**
 * A page from up to `limit + 1` hits, newest first: the extra hit only tells
 * that there is more, and the page's oldest hit is where the next one starts.
 */
export function pageOf(hits: MessageEvent[], limit: number): SearchPage {
  if (hits.length <= limit) return { results: hits, more: false };
  const results = hits.slice(0, limit);
  return { results, more: true, next: results[results.length - 1]!.seq };
}

/** Collects up to `limit + 1` matches from messages given newest first. */
export class SearchScan {
  readonly hits: MessageEvent[] = [];
  /** Messages looked at so far. */
  scanned = 0;
  private readonly matches: (text: string) => boolean;

  constructor(private readonly query: SearchQuery) {
    this.matches = searchMatcher(query.terms);
  }

  /** True once the page is full (limit + 1 hits): stop feeding. */
  get full(): boolean {
    return this.hits.length > this.query.limit;
  }

  /** Looks at one message; false once the page is full. */
  take(message: MessageEvent): boolean {
    if (this.full) return false;
    this.scanned++;
    if (this.matches(message.text)) this.hits.push(message);
    return !this.full;
  }

  page(): SearchPage {
    return pageOf(this.hits, this.query.limit);
  }
}
