import { StringDecoder } from 'node:string_decoder';
import { normalizeNewlines } from '../protocol/validate.js';

/**
 * The lines of a byte stream, decoded as UTF-8 (bad bytes become U+FFFD),
 * without their `\n` or `\r\n` terminator. A last line without a newline still
 * counts. Empty lines are skipped: they cannot be messages.
 */
export async function* readLines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let start = 0;
    let nl: number;
    while ((nl = rest.indexOf('\n', start)) !== -1) {
      const line = clean(rest.slice(start, nl));
      start = nl + 1;
      if (line !== '') yield line;
    }
    rest = start === 0 ? rest : rest.slice(start);
  }
  rest += decoder.end();
  const last = clean(rest);
  if (last !== '') yield last;
}

function clean(line: string): string {
  const stripped = line.endsWith('\r') ? line.slice(0, -1) : line;
  // A lone \r inside a line is refused by the server; the contract says
  // clients turn it into \n.
  return stripped.includes('\r') ? normalizeNewlines(stripped) : stripped;
}
