/**
 * Why a message text cannot be sent, said before it is sent. Every sender
 * (`rtchat send`, piped `join`, the TUI) asks this first, so an over-long
 * text is refused with its length and the limit instead of travelling to the
 * server for a bare `invalid_text`.
 */
import { LIMITS } from '../protocol/limits.js';
import { codePointLength, validateText } from '../protocol/validate.js';

/**
 * `undefined` when `text` may be sent, else one sentence that says what is
 * wrong and what to do. `maxText` is in code points (the unit of the
 * contract); default LIMITS.maxText (4000), the `limits.maxText` of `hello`.
 */
export function textProblem(text: string, maxText: number = LIMITS.maxText): string | undefined {
  const n = codePointLength(text);
  if (n > maxText) {
    return `${n} characters, over the limit of ${maxText}: shorten or split it`;
  }
  try {
    validateText(text, maxText);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return undefined;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The start of `text` for a one-line mention ("not sent: …"): at most `max`
 * grapheme clusters (default 40), so an emoji or an accent is never cut in
 * half, with `…` when something was left out.
 */
export function excerpt(text: string, max = 40): string {
  let out = '';
  let n = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (n === max) return out + '…';
    out += segment;
    n++;
  }
  return out;
}
