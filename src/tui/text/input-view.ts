/**
 * The part of the input line that fits its row. The line scrolls sideways to
 * keep the cursor in view instead of wrapping (a growing input would push the
 * live area up, and make the prompt jump); '…' marks a side cut off.
 */
import { escapeTerminal } from '../../protocol/index.js';
import { graphemes } from './graphemes.js';
import { displayWidth } from './width.js';

export interface InputView {
  /** Shown before the cursor, '…' first when cut. */
  before: string;
  /** The cluster under the cursor, or a space at the end of the line. */
  at: string;
  /** Shown after the cursor, '…' last when cut. */
  after: string;
}

interface ViewCell {
  text: string;
  width: number;
}

/**
 * @param value the line, raw (shown escaped, like network text)
 * @param cursor offset in `value`, on a cluster boundary
 * @param width columns for the line; at least 3 to show anything useful
 */
export function inputView(value: string, cursor: number, width: number): InputView {
  const cell = (g: string): ViewCell => {
    const text = escapeTerminal(g);
    return { text, width: displayWidth(text) };
  };
  const left = graphemes(value.slice(0, cursor)).map(cell);
  const rest = graphemes(value.slice(cursor)).map(cell);
  const at = rest.shift() ?? { text: ' ', width: 1 };
  const total = [...left, at, ...rest].reduce((w, c) => w + c.width, 0);
  const join = (cs: ViewCell[]): string => cs.map((c) => c.text).join('');
  if (total <= width) return { before: join(left), at: at.text, after: join(rest) };

  // Room for both ellipses; a third of what is left goes after the cursor when there is text there.
  let budget = Math.max(0, width - 2 - at.width);
  const after: ViewCell[] = [];
  const afterWant = Math.floor(budget / 3);
  for (const c of rest) {
    if (c.width > afterWant - widthOf(after)) break;
    after.push(c);
  }
  budget -= widthOf(after);
  const before: ViewCell[] = [];
  for (let i = left.length - 1; i >= 0; i--) {
    const c = left[i] as ViewCell;
    if (c.width > budget) break;
    before.unshift(c);
    budget -= c.width;
  }
  for (const c of rest.slice(after.length)) {
    if (c.width > budget) break;
    after.push(c);
    budget -= c.width;
  }
  const cutLeft = before.length < left.length;
  const cutRight = after.length < rest.length;
  return {
    before: (cutLeft ? '…' : '') + join(before),
    at: at.text,
    after: join(after) + (cutRight ? '…' : ''),
  };
}

function widthOf(cs: readonly ViewCell[]): number {
  return cs.reduce((w, c) => w + c.width, 0);
}
