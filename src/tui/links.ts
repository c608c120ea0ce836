/**
 * Whether URLs are drawn as OSC 8 hyperlinks (see text/hyperlinks.ts), decided
 * once at start and handed to the components through a context.
 */
import { createContext, useContext } from 'react';
import { createSupportsHyperlinks } from 'supports-hyperlinks';

/** True: message URLs are links. Default false (plain text), as for any output that is not a known terminal. */
export const LinksContext = createContext(false);

export function useLinks(): boolean {
  return useContext(LinksContext);
}

/**
 * True when the terminal on `stream` shows OSC 8 links. `FORCE_HYPERLINK`
 * decides first, as the `supports-hyperlinks` package reads it (`0` off,
 * any other non-empty value on, terminal or not); then never on a stream
 * that is not a terminal or under `TERM=dumb`; then that package's list of
 * terminals known to support them (iTerm2 ≥ 3.1, VTE ≥ 0.50, WezTerm,
 * kitty, Alacritty, Windows Terminal, VS Code, ghostty, …). A terminal that
 * lacks them would print the link target's bytes, so unknown means no.
 */
export function hyperlinksAllowed(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_HYPERLINK;
  if (force !== undefined && force !== '') return Number.parseInt(force, 10) !== 0;
  if (stream.isTTY !== true || env.TERM === 'dumb') return false;
  return createSupportsHyperlinks(stream);
}
