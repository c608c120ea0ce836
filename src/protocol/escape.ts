/**
 * Terminal safety: nothing from the network reaches a terminal raw. C0, C1,
 * DEL and ESC become visible escapes; \n and \t are kept only when asked.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_RE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- the same, less \n and \t
const UNSAFE_KEEP_LINES_RE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

function visible(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c === 0x1b) return '\\e';
  if (c === 0x0a) return '\\n';
  if (c === 0x0d) return '\\r';
  if (c === 0x09) return '\\t';
  if (c < 0x100) return '\\x' + c.toString(16).padStart(2, '0');
  return '\\u' + c.toString(16).padStart(4, '0');
}

/** Escapes for one terminal line: newlines and tabs are escaped too. */
export function escapeTerminal(s: string): string {
  return s.replace(UNSAFE_RE, visible);
}

/** Escapes but keeps \n and \t, for multi-line display. */
export function escapeTerminalKeepLines(s: string): string {
  return s.replace(UNSAFE_KEEP_LINES_RE, visible);
}
