/**
 * The shape of everything the TUI shows. Text fields hold the raw strings
 * from the network; components escape them when they render (never here), so
 * mention matching and the like see what the sender actually wrote.
 */
import type { Via, PresenceMember } from '../../protocol/index.js';
import type { ConnectionState, LatencySnapshot, OutboxStatus } from '../../client/types.js';
import type { CompletionCycle } from '../input/complete.js';

/** A chat message that made it into the room's log (it has a seq). */
export interface MessageLineData {
  kind: 'message';
  /** Local, monotonically increasing: <Static> and React keys rely on it. */
  id: number;
  seq: number;
  /** Server time the message was stored, ms. */
  ts: number;
  nick: string;
  text: string;
  own: boolean;
  /** The text names the local nick (never set on one's own lines). */
  mention: boolean;
  /** Sent with `/me`: rendered as "* nick does something". */
  action: boolean;
  latencyMs?: number;
}

export type SystemLevel = 'info' | 'warn' | 'error';

/** Something the client has to say: joins, leaves, reconnects, gaps, errors. */
export interface SystemLineData {
  kind: 'system';
  id: number;
  /** Local time of the event, ms. */
  ts: number;
  level: SystemLevel;
  text: string;
  /** The "new since you left" line at the read marker, drawn as a rule. */
  divider?: true;
}

export type Line = MessageLineData | SystemLineData;

/** An own message not yet seen back in the stream; shown below the history. */
export interface PendingLine {
  cid: string;
  nick: string;
  text: string;
  queuedAt: number;
  status: OutboxStatus;
  seq?: number;
}

export type Panel = 'none' | 'help' | 'latency' | 'who' | 'mentions' | 'search';

export interface InputState {
  value: string;
  /** Cursor position in UTF-16 units, 0..value.length, always on a grapheme cluster boundary. */
  cursor: number;
}

/** A paste of more lines than PASTE_GUARD_LINES, held until the user says how to send it. */
export interface PasteOffer {
  /** Line breaks normalised to \n, without a final one. */
  text: string;
  lines: number;
}

/** One page of a member list fetched from the server (`GET /rooms/{room}/presence`). */
export interface WhoPage {
  offset: number;
  /** Members present in all. */
  count: number;
  members: PresenceMember[];
}

export interface ChatState {
  server: string;
  /** The active room: the one shown, whose view fills the fields below (lines … whoPage). */
  room: string;
  nick: string;
  via: Via;
  connection: ConnectionState;
  latency: LatencySnapshot;
  /** The member list; empty while `truncated`, undefined until the first presence. */
  members: PresenceMember[] | undefined;
  /** Members present: the server's `count`, or the list's length from a server without it. */
  online: number | undefined;
  /** The room is too big for presence to list: /who pages the list from the server. */
  truncated: boolean;
  /** Committed history, oldest first, capped at `maxLines`. */
  lines: Line[];
  nextLineId: number;
  maxLines: number;
  pending: PendingLine[];
  input: InputState;
  /** Submitted inputs, oldest first. */
  history: string[];
  /** Position while browsing history with Up/Down; undefined when editing a fresh line. */
  historyIndex: number | undefined;
  /** What was typed before Up started browsing, restored by Down past the end. */
  draft: string;
  /** The open Tab completion cycle; undefined (or absent) when none. */
  completion?: CompletionCycle | undefined;
  /** Lines back from the newest; 0 follows the live stream. */
  scrollOffset: number;
  panel: Panel;
  /** First entry of the open panel's page (a member of /who, a row of /help). */
  panelOffset: number;
  /** The /who page fetched for a truncated room. */
  whoPage: WhoPage | undefined;
  paste: PasteOffer | undefined;
  /** Terminal size in columns and rows. */
  columns: number;
  rows: number;
  /** Every room of the client, in the room list's order (the active one included). */
  tabs: RoomTab[];
  /** The views of the rooms not shown, by room; the active room's view is the flat fields above. */
  parked: Record<string, RoomView>;
  /** When the client itself rings the bell. Default 'mentions'. */
  bell: BellMode;
  /** Desktop notifications (OSC 777 and OSC 9). Default false. */
  notify: boolean;
  /** Recent mentions across rooms, oldest first, at most MENTIONS_MAX. */
  mentionLog: MentionEntry[];
  /** The last /search and its hits. */
  search: SearchState | undefined;
  /** The last bell or notification asked for; the App writes it once per `id`. */
  alert: Alert | undefined;
  /**
   * Counts full repaints: the terminal is cleared and the history written again
   * (after a width change, or once a panel or the scrollback window closes).
   */
  paint: number;
}

/** When the client rings the bell: never, for mentions and DMs, or for every message from others. */
export type BellMode = 'off' | 'mentions' | 'all';

/** One room in the room list: what the list shows and what unread and bell decisions need. */
export interface RoomTab {
  room: string;
  /** The other account, for a DM room (shown as `@peer`). */
  peer?: string;
  /** Messages from others after the read marker not yet viewed. */
  unread: number;
  /** Of those, the ones that mention the local nick (every one, in a DM). */
  mentions: number;
  /** The read marker: the last seq read (0 when never), as stored on the server or in the state dir. */
  readSeq: number;
  readEpoch?: string | undefined;
  /** The highest seq viewed here (active and at the bottom); the marker is advanced to it, debounced. */
  seenSeq: number;
  /** The highest seq that rang the bell or was judged not to: no seq is considered twice. */
  alertedSeq: number;
  /** The "new since you left" line sits before the first message after this seq; undefined: no line. */
  markerAt: number | undefined;
  /** The room's first hello arrived (the marker line is decided then, once). */
  opened: boolean;
}

/** What a room shows; parked while another room is active. */
export interface RoomView {
  lines: Line[];
  members: PresenceMember[] | undefined;
  online: number | undefined;
  truncated: boolean;
  pending: PendingLine[];
  scrollOffset: number;
}

export interface MentionEntry {
  room: string;
  seq: number;
  ts: number;
  nick: string;
  text: string;
}

export interface SearchState {
  room: string;
  query: string;
  /** Hits, newest first; undefined while the request runs. */
  hits: MentionEntry[] | undefined;
  /** The server has older hits than the last of `hits` (Down on the last one asks for them). */
  more: boolean;
  error?: string;
  /** The hit Up/Down selected: an index into `hits` (0 the newest). Default 0. */
  selected: number;
  /** An older page is on its way: its `before` (the oldest hit's seq); undefined when none. */
  paging: number | undefined;
}

/** A bell and/or a desktop notification to write, once. */
export interface Alert {
  id: number;
  bell: boolean;
  /** Sanitized title and body of a desktop notification, when /notify is on. */
  notify?: { title: string; body: string };
}
