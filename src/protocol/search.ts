/**
 * Searching a room's history (`GET /rooms/{room}/search`, docs/protocol.md 8.4
 * "Search"): the query language, its limits and the answer's shape, shared by
 * the server (every store) and the client.
 *
 * The language is deliberately small: the query is split into words, every
 * word must occur in a message (AND), case and diacritics do not matter, and a
 * word written with a trailing `*` matches every word that starts with it.
 * Nothing else is syntax: quotes, `-`, `OR`, `:` are plain text, so no query
 * a person types can be a syntax error.
 */
import { ProtocolError } from './errors.js';
import type { MessageEvent } from './events.js';

export const SEARCH_LIMITS = {
  /** Longest query, in Unicode code points. */
  maxQuery: 200,
  /** Results per answer: default and maximum. */
  limit: 20,
  maxLimit: 100,
  /** Redis: messages one search reads at most (`rtchat serve --search-scan`). */
  scan: 10_000,
} as const;

/**
 * One whitespace-separated word of a query. A word with punctuation inside
 * (`foo-bar`, `it's`, `3.14`) is a short phrase: its parts must follow each
 * other in the message, as FTS5 reads a quoted string.
 */
export interface SearchTerm {
  /** The word as typed, without its trailing `*`: what FTS5 gets, quoted. */
  text: string;
  /** Its parts in the folded form `wordsOf` gives: what the scanning stores compare. */
  words: string[];
  /** True when the user wrote `word*`: its last part matches every word that starts with it. */
  prefix: boolean;
}

/** `{"type":"search"}`: one page of hits, newest first. */
export interface SearchAnswer {
  type: 'search';
  room: string;
  /** The matching messages with seq below the request's `before`, newest (highest seq) first. */
  results: MessageEvent[];
  /** True when more matches may exist below this page: ask again with `before` = `next`. */
  more: boolean;
  /** The `before` of the next page; present when `more` is true. */
  next?: number;
  /** Redis only: messages this search read (bounded by the server's `--search-scan`). */
  scanned?: number;
  /** Redis only: false when the scan stopped at its bound, so older matches may have been left unread. */
  complete?: boolean;
}

// Word characters as SQLite's unicode61 tokenizer has them (letters, digits,
// private use); combining marks are folded away first. Everything else separates.
const WORD_RE = /[\p{L}\p{N}\p{Co}]+/gu;
const DIACRITIC_RE = /\p{Mn}/gu;

/**
 * Folds text the way SQLite FTS5's `unicode61 remove_diacritics 2` tokenizer
 * does, closely enough for the scanning stores: decomposed, combining marks
 * dropped, lower case.
 */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(DIACRITIC_RE, '').toLowerCase();
}

/** The folded words of a text, in order (duplicates kept). */
export function wordsOf(text: string): string[] {
  return foldText(text).match(WORD_RE) ?? [];
}

/**
 * Parses a query into its terms (repeats dropped, in first-seen order).
 *
 * @throws ProtocolError `bad_request` when `q` is missing, empty, longer than
 *   200 code points, or holds no word (only spaces and punctuation).
 */
export function parseSearchQuery(q: unknown): SearchTerm[] {
  if (typeof q !== 'string' || q.trim() === '') {
    throw new ProtocolError('bad_request', 'the search query (q) is missing or empty');
  }
  let length = 0;
  for (const _ of q) length++;
  if (length > SEARCH_LIMITS.maxQuery) {
    throw new ProtocolError('bad_request', `the search query (q) is longer than ${SEARCH_LIMITS.maxQuery} characters`);
  }
  const terms = new Map<string, SearchTerm>();
  for (const chunk of q.split(/\s+/u)) {
    const prefix = chunk.endsWith('*');
    const text = prefix ? chunk.replace(/\*+$/u, '') : chunk;
    const words = wordsOf(text);
    // `*` alone, `--`, `"`: nothing to look for (FTS5 would ignore it too).
    if (words.length === 0) continue;
    const key = `${prefix ? '*' : ' '}${words.join(' ')}`;
    if (!terms.has(key)) terms.set(key, { text, words, prefix });
  }
  if (terms.size === 0)
    throw new ProtocolError('bad_request', 'the search query (q) holds no word to look for (letters or digits)');
  return [...terms.values()];
}

/**
 * The FTS5 MATCH expression for `terms`: each word a quoted string (`"`
 * doubled), a prefix word followed by `*`, all joined by implicit AND. FTS5
 * tokenizes inside the quotes itself, and quoting is what keeps FTS syntax
 * (`OR`, `NEAR`, `-`, `:`, `^`) out of user input.
 */
export function ftsQuery(terms: readonly SearchTerm[]): string {
  return terms.map((t) => `"${t.text.replaceAll('"', '""')}"${t.prefix ? '*' : ''}`).join(' ');
}

/**
 * A matcher for the stores that scan: true when every term's parts occur in
 * the text's words one after the other (a prefix term's last part: a word
 * starting with it).
 */
export function searchMatcher(terms: readonly SearchTerm[]): (text: string) => boolean {
  return (text) => {
    const words = wordsOf(text);
    return terms.every((t) => hasPhrase(words, t));
  };
}

function hasPhrase(words: readonly string[], term: SearchTerm): boolean {
  const parts = term.words;
  const last = parts.length - 1;
  for (let i = 0; i + last < words.length; i++) {
    let j = 0;
    while (j < last && words[i + j] === parts[j]) j++;
    if (j < last) continue;
    const w = words[i + last]!;
    if (term.prefix ? w.startsWith(parts[last]!) : w === parts[last]) return true;
  }
  return false;
}
