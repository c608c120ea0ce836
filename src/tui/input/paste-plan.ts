/**
 * What a paste does. A few lines are typed, as if keyed in: each line break
 * sends the line before it, and a last line without one stays in the input.
 * More lines than PASTE_GUARD_LINES are held by the paste guard, which asks
 * whether to send them as one message per line or as one multi-line message
 * (irssi's paste_verify_line_count, whose default is also 5).
 */

/** Pastes of more lines than this ask before anything is sent. */
export const PASTE_GUARD_LINES = 5;

export type PastePlan =
  /** Insert each part into the input; a submit (Enter) goes between two parts. */
  | { kind: 'type'; parts: string[] }
  /** Hold the paste and ask (the paste guard). */
  | { kind: 'ask' };

/** Control characters a message may not hold go; line breaks and tabs stay. */
export function cleanPasted(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n|\r/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/** The lines of a paste, without the empty one after a final line break. */
export function pastedLines(text: string): string[] {
  const body = text.replace(/\n+$/, '');
  return body === '' ? [] : body.split('\n');
}

export function planPaste(text: string): PastePlan {
  const clean = cleanPasted(text);
  if (pastedLines(clean).length > PASTE_GUARD_LINES) return { kind: 'ask' };
  return { kind: 'type', parts: clean.split('\n') };
}

/**
 * The messages a held paste becomes: one per line (blank lines skipped, as an
 * empty message cannot be sent), or the whole text as one message.
 */
export function pasteMessages(text: string, as: 'lines' | 'one'): string[] {
  if (as === 'one') return text.trim() === '' ? [] : [text.replace(/\n+$/, '')];
  return pastedLines(text).filter((line) => line.trim() !== '');
}
