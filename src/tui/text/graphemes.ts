/**
 * Grapheme clusters and words, by `Intl.Segmenter` (Unicode UAX #29): what a
 * reader sees as one character (😀, 👨‍👩‍👧, e + a combining accent) is one
 * cluster, and the input line's cursor only ever stands between clusters.
 * Offsets are UTF-16 code units, as everywhere in JavaScript strings.
 */

const clusters = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const words = new Intl.Segmenter(undefined, { granularity: 'word' });

/** The clusters of `s`, in order. */
export function graphemes(s: string): string[] {
  const out: string[] = [];
  for (const { segment } of clusters.segment(s)) out.push(segment);
  return out;
}

/** Start of the cluster before offset `i` (0 at the start). */
export function prevBoundary(s: string, i: number): number {
  if (i <= 0) return 0;
  return clusters.segment(s).containing(Math.min(i, s.length) - 1)?.index ?? 0;
}

/** End of the cluster at offset `i` (s.length at the end). */
export function nextBoundary(s: string, i: number): number {
  if (i >= s.length) return s.length;
  const seg = clusters.segment(s).containing(Math.max(0, i));
  return seg === undefined ? s.length : seg.index + seg.segment.length;
}

/** `i` itself when it is a cluster boundary, else the end of the cluster it falls in. */
export function snapBoundary(s: string, i: number): number {
  if (i <= 0) return 0;
  if (i >= s.length) return s.length;
  const seg = clusters.segment(s).containing(i);
  return seg === undefined || seg.index === i ? i : seg.index + seg.segment.length;
}

interface Word {
  start: number;
  end: number;
}

function wordSpans(s: string): Word[] {
  const out: Word[] = [];
  for (const seg of words.segment(s)) {
    if (seg.isWordLike) out.push({ start: seg.index, end: seg.index + seg.segment.length });
  }
  return out;
}

/** Start of the word before offset `i` (readline's Alt+B, Ctrl+Left): spaces and punctuation are skipped. */
export function prevWord(s: string, i: number): number {
  let to = 0;
  for (const w of wordSpans(s)) {
    if (w.start >= i) break;
    to = w.start;
  }
  return to;
}

/** End of the word after offset `i` (readline's Alt+F, Ctrl+Right). */
export function nextWord(s: string, i: number): number {
  for (const w of wordSpans(s)) if (w.end > i) return w.end;
  return s.length;
}
