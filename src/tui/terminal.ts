/**
 * What the TUI writes to the terminal itself, around Ink: bracketed paste on
 * and off, the clear before a full repaint, and the stdout handed to Ink.
 */

/** Asks the terminal to wrap pastes in ESC[200~ … ESC[201~ (xterm's bracketed paste mode). */
export const BRACKETED_PASTE_ON = '\x1b[?2004h';
export const BRACKETED_PASTE_OFF = '\x1b[?2004l';

/**
 * Home, erase the screen, erase the scrollback (xterm's ED 3, honoured by
 * tmux, xterm, VTE and others): a repaint then writes every line once.
 */
export const CLEAR_ALL = '\x1b[H\x1b[2J\x1b[3J';

/** Where the real row count stays readable on the stdout given to Ink. */
export const TERMINAL_ROWS: unique symbol = Symbol('rtchat.terminalRows');

/**
 * The stdout for Ink, with `rows` hidden. Ink switches to a "fullscreen" path
 * when its output is at least as tall as the terminal: it clears the terminal
 * and writes every static line of the session again (duplicates in the
 * scrollback), and it erases one line too many afterwards (a lost message).
 * The chat screen keeps its live area shorter than the terminal by itself
 * (see layout.ts), also in the moment after a shrink, so Ink never needs it.
 */
export function inkStdout(out: NodeJS.WriteStream): NodeJS.WriteStream {
  return new Proxy(out, {
    get(target, prop) {
      if (prop === 'rows') return undefined;
      if (prop === TERMINAL_ROWS) return target.rows;
      const value: unknown = Reflect.get(target, prop, target);
      // Stream methods run against the real stream, never the proxy.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The terminal's size as the TUI sees it; 80 × 24 when unknown (not a terminal). */
export function terminalSize(out: NodeJS.WriteStream): { columns: number; rows: number } {
  const hidden = (out as unknown as Record<symbol, unknown>)[TERMINAL_ROWS];
  const rows = typeof hidden === 'number' ? hidden : out.rows;
  return { columns: out.columns || 80, rows: rows || 24 };
}
