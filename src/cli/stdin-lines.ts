import { StringDecoder } from 'node:string_decoder';
import { normalizeNewlines } from '../protocol/validate.js';

/** One non-empty input line and its 1-based number in the input (empty lines count). */
export interface NumberedLine {
  line: number;
  text: string;
}

/**
 * The lines of a byte stream, decoded as UTF-8 (bad bytes become U+FFFD),
 * without their `\n` or `\r\n` terminator. A last line without a newline still
 * counts. Empty lines are skipped (they cannot be messages) but numbered, so
 * that "line 3" in an error is line 3 of the input.
 */
export async function* readNumberedLines(input: NodeJS.ReadableStream): AsyncGenerator<NumberedLine> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  for await (const chunk of input) {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let nl: number;
    while ((nl = rest.indexOf('\n', start)) !== -1) {
      const text = clean(rest.slice(start, nl));
      start = nl + 1;
      line++;
      if (text !== '') yield { line, text };
    }
    rest = start === 0 ? rest : rest.slice(start);
  }
  rest += decoder.end();
  const last = clean(rest);
  if (last !== '') yield { line: line + 1, text: last };
}

/** The texts of `readNumberedLines`. */
export async function* readLines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  for await (const { text } of readNumberedLines(input)) yield text;
}

function clean(line: string): string {
  const stripped = line.endsWith('\r') ? line.slice(0, -1) : line;
  // A lone \r inside a line is refused by the server; the contract says
  // clients turn it into \n.
  return stripped.includes('\r') ? normalizeNewlines(stripped) : stripped;
}
