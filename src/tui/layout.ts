/**
 * How the live area (everything below the history: the scrollback window,
 * pending lines, a panel, the status bar and the input line) shares the
 * terminal's rows. Pure, so it is tested for every size.
 *
 * The live area is always shorter than the terminal, by at least one row. Ink
 * redraws it by erasing as many rows as it drew last time; rows that scrolled
 * off the top cannot be erased, and would stay in the scrollback as junk, or
 * the erase would eat a line of history instead.
 */
import { HELP_ROWS } from './help-rows.js';
import type { ChatState } from './state/types.js';

/** The status bar and the input line (or the paste guard's question). */
const FIXED_ROWS = 2;
/** Recent mentions /mentions lists at most (the panel pages through them). */
const LIST_PANEL_MAX = 20;

/** The room list takes a row above the status bar once there are two rooms or more. */
export function roomBarRows(s: Pick<ChatState, 'tabs'>): number {
  return s.tabs.length > 1 ? 1 : 0;
}
/** A panel's border (2 rows) and title (1). */
export const PANEL_CHROME = 3;

export interface LiveLayout {
  /** Rows of pending lines; when there are more pending, the last row summarises them. */
  pendingRows: number;
  /** Rows of the open panel, border included; 0 when none is open. */
  panelRows: number;
  /** Lines of the scrollback window (the PgUp/PgDn page); 0 when following the stream. */
  windowRows: number;
  /** All of it: at most rows − 1. */
  height: number;
}

/** Rows a panel would like, border included. */
function panelWants(s: ChatState): number {
  switch (s.panel) {
    case 'none':
      return 0;
    case 'help':
      return HELP_ROWS.length + PANEL_CHROME;
    case 'latency':
      return 4 + PANEL_CHROME;
    case 'who':
      // The member list (a row while it is not known); a longer one gets pages.
      return Math.max(1, s.online ?? s.members?.length ?? 0) + PANEL_CHROME;
    case 'mentions':
      return Math.min(LIST_PANEL_MAX, Math.max(1, s.mentionLog.length)) + PANEL_CHROME;
    case 'search': {
      // The hits, and a last row that says where the selected one is.
      const hits = s.search?.hits?.length ?? 0;
      return Math.min(LIST_PANEL_MAX, Math.max(1, hits)) + (hits > 0 ? 1 : 0) + PANEL_CHROME;
    }
  }
}

export function liveLayout(s: ChatState): LiveLayout {
  // One row always stays free: the live area never reaches the terminal's height.
  const fixed = FIXED_ROWS + roomBarRows(s);
  const free = Math.max(0, s.rows - 1 - fixed);
  const pendingRows = Math.min(s.pending.length, Math.max(1, Math.floor(free / 3)));
  const paused = s.scrollOffset > 0;
  // A panel leaves a third of the screen to the conversation (or to the scrollback window).
  const keep = Math.max(2, Math.floor(s.rows / 3));
  const panelRoom = Math.max(0, free - pendingRows - keep);
  const panelRows = Math.min(panelWants(s), panelRoom);
  const windowRows = paused ? Math.max(1, free - pendingRows - panelRows - 1) : 0;
  const height = fixed + pendingRows + panelRows + (paused ? windowRows + 1 : 0);
  return { pendingRows, panelRows, windowRows, height };
}

/** Rows of help that fit a panel of `rows` rows (one goes to the page hint when not all fit). */
export function helpPageSize(rows: number): number {
  const room = Math.max(0, rows - PANEL_CHROME);
  return room >= HELP_ROWS.length ? room : Math.max(1, room - 1);
}

/** Members listed in a panel of `rows` rows, of `total`: one row goes to the page hint when not all fit. */
export function whoPageSize(rows: number, total: number): number {
  const room = Math.max(0, rows - PANEL_CHROME);
  return room >= total ? Math.max(1, room) : Math.max(1, room - 1);
}
