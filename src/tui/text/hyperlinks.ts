/**
 * http(s) URLs in message text as OSC 8 hyperlinks
 * (https://gist.github.com/egmontkob/eb114294efbcd5adb1944c9f3cb5feda):
 * `ESC ] 8 ; ; URL BEL` TEXT `ESC ] 8 ; ; BEL`. The visible text is what the
 * sender wrote; only the terminal learns the link target.
 *
 * BEL ends the sequences rather than ESC \ (both are in the spec and every
 * terminal that does OSC 8 accepts both): Ink's renderer
 * (@alcalzone/ansi-tokenize) parses only the BEL form as a zero-width code,
 * and would lay the ESC \ form out as visible characters.
 *
 * Safety: URLs are found in text that has already been escaped for the
 * terminal (no control character left: ESC shows as `\e`), and a link's
 * target is only printable ASCII of the URL alphabet (RFC 3986). A word that
 * starts like a URL but holds anything else (a shown escape's `\`, a
 * non-ASCII letter) is no link at all, rather than a link to part of it, so
 * no byte from the network can end the sequence early, start one of its own,
 * or make a link point elsewhere than its text says.
 */
import type { Segment } from '../format.js';

/** The text of a segment as drawn: inside its link when it has one. */
export function linkedText(segment: Segment): string {
  return segment.link === undefined ? segment.text : osc8(segment.link, segment.text);
}

/** OSC 8 link start for `url` (already checked by `safeUrl`). */
export function linkOpen(url: string): string {
  return `\x1b]8;;${url}\x07`;
}

/** OSC 8 link end. */
export const LINK_CLOSE = '\x1b]8;;\x07';

/** `text` shown as a link to `url`. */
export function osc8(url: string, text: string): string {
  return linkOpen(url) + text + LINK_CLOSE;
}

/**
 * Longest URL made a link, characters. Longer ones stay plain text: browsers
 * and terminals cap URIs about here (VTE: 2083 bytes).
 */
export const MAX_URL_LENGTH = 2048;

/** The URL alphabet of RFC 3986 (unreserved, reserved, `%`): printable ASCII without space `"<>\^`{|}`. */
const URL_CHARS = "A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%";
/** A word that starts like a URL: up to white space or a delimiter people put around URLs (`<…>`, quotes). */
const URL_WORD_RE = /\bhttps?:\/\/[^\s"<>`]+/gi;
const SAFE_URL_RE = new RegExp(`^https?://[${URL_CHARS}]+$`, 'i');
/** Ends a sentence rather than the URL: `see https://x.org/a.` links `https://x.org/a`. */
const TRAILING_RE = /[.,;:!?'*\u3001\u3002\uff01\uff0c\uff1f]+$/u;

/** True for a URL that may go into an OSC 8 sequence as it is. */
export function safeUrl(url: string): boolean {
  return url.length <= MAX_URL_LENGTH && SAFE_URL_RE.test(url) && /^https?:\/\/[^/?#]/i.test(url);
}

/** Cuts punctuation that ends the sentence, and a `)` without its `(` (a URL in parentheses). */
function trimUrl(url: string): string {
  let out = url.replace(TRAILING_RE, '');
  while (out.endsWith(')') && count(out, '(') < count(out, ')')) out = out.slice(0, -1).replace(TRAILING_RE, '');
  return out;
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

export interface UrlSpan {
  /** Offsets (UTF-16) in the text: [start, end). */
  start: number;
  end: number;
  url: string;
}

/** The http(s) URLs of `text` that can be links, in order. */
export function findUrls(text: string): UrlSpan[] {
  const out: UrlSpan[] = [];
  for (const m of text.matchAll(URL_WORD_RE)) {
    const url = trimUrl(m[0]);
    if (safeUrl(url)) out.push({ start: m.index, end: m.index + url.length, url });
  }
  return out;
}

/**
 * `segments` (consecutive parts of one escaped text) split where URLs begin
 * and end, the parts inside a URL carrying it as `link`. A mention inside a
 * URL stays a mention.
 */
export function linkSegments(segments: readonly Segment[]): Segment[] {
  const text = segments.map((s) => s.text).join('');
  const urls = findUrls(text);
  if (urls.length === 0) return segments.slice();
  const out: Segment[] = [];
  let at = 0;
  for (const seg of segments) {
    const segEnd = at + seg.text.length;
    let from = at;
    while (from < segEnd) {
      const url = urls.find((u) => u.end > from && u.start < segEnd);
      const inside = url !== undefined && url.start <= from;
      const to = url === undefined ? segEnd : Math.min(segEnd, inside ? url.end : url.start);
      const part: Segment = { ...seg, text: text.slice(from, to) };
      if (inside) part.link = url.url;
      out.push(part);
      from = to;
    }
    at = segEnd;
  }
  return out;
}
