/**
 * The rooms of the TUI as pure state transitions: the room list (tabs), the
 * view of each room (the active one lives in ChatState's flat fields, the
 * others are parked), switching, adding and removing rooms, and read markers.
 */
import type { ChatState, Line, RoomTab, RoomView } from './types.js';

/** Every room gets a tab like this until its read marker is known. */
export function newTab(room: string, o: { peer?: string | undefined; readSeq?: number; epoch?: string } = {}): RoomTab {
  const readSeq = o.readSeq ?? 0;
  return {
    room,
    ...(o.peer === undefined ? {} : { peer: o.peer }),
    unread: 0,
    mentions: 0,
    readSeq,
    readEpoch: o.epoch,
    seenSeq: readSeq,
    alertedSeq: readSeq,
    markerAt: undefined,
    opened: false,
  };
}

export function emptyView(): RoomView {
  return { lines: [], members: undefined, online: undefined, truncated: false, pending: [], scrollOffset: 0 };
}

/** The view of `room`: the flat fields for the active room, else its parked view. */
export function viewOf(s: ChatState, room: string): RoomView {
  if (room === s.room) {
    const { lines, members, online, truncated, pending, scrollOffset } = s;
    return { lines, members, online, truncated, pending, scrollOffset };
  }
  return s.parked[room] ?? emptyView();
}

/** Puts `view` back where `room`'s view lives. */
export function withView(s: ChatState, room: string, view: RoomView): ChatState {
  if (room === s.room) return { ...s, ...view };
  return { ...s, parked: { ...s.parked, [room]: view } };
}

function without(views: Record<string, RoomView>, room: string): Record<string, RoomView> {
  return Object.fromEntries(Object.entries(views).filter(([r]) => r !== room));
}

export function tabOf(s: ChatState, room: string): RoomTab | undefined {
  return s.tabs.find((t) => t.room === room);
}

export function withTab(s: ChatState, tab: RoomTab): ChatState {
  return { ...s, tabs: s.tabs.map((t) => (t.room === tab.room ? tab : t)) };
}

/** The seq of the newest message line, 0 when there is none. */
export function lastSeq(lines: readonly Line[]): number {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as Line;
    if (line.kind === 'message') return line.seq;
  }
  return 0;
}

/**
 * The active room is being viewed at the bottom: what it shows is read
 * (unread and mentions go to 0, seenSeq to its newest message).
 */
export function markViewed(s: ChatState): ChatState {
  if (s.scrollOffset > 0) return s;
  const tab = tabOf(s, s.room);
  if (tab === undefined) return s;
  const seenSeq = Math.max(tab.seenSeq, lastSeq(s.lines));
  if (tab.unread === 0 && tab.mentions === 0 && seenSeq === tab.seenSeq) return s;
  return withTab(s, { ...tab, unread: 0, mentions: 0, seenSeq });
}

/** Makes `room` the active one: the current view is parked, the room's view unparked, at the bottom. */
export function switchRoom(s: ChatState, room: string): ChatState {
  if (room === s.room || tabOf(s, room) === undefined) return s;
  const view = s.parked[room] ?? emptyView();
  const parked = without({ ...s.parked, [s.room]: viewOf(s, s.room) }, room);
  const next: ChatState = { ...s, ...view, room, parked, scrollOffset: 0, whoPage: undefined, panelOffset: 0 };
  // A panel about the room left behind (who, search) makes no sense here.
  if (next.panel === 'who' || next.panel === 'search') next.panel = 'none';
  return markViewed(next);
}

/** The room `step` places after (or before) the active one in the list, wrapping around. */
export function neighbour(s: ChatState, step: 1 | -1): string {
  const i = s.tabs.findIndex((t) => t.room === s.room);
  const n = s.tabs.length;
  if (n === 0) return s.room;
  return (s.tabs[(((i + step) % n) + n) % n] as RoomTab).room;
}

/** `name` as typed: `#room`, `room` or `@peer` (a DM); undefined when no room of the list matches. */
export function findRoom(s: ChatState, name: string): string | undefined {
  const n = name.trim().toLowerCase();
  if (n.startsWith('@')) return s.tabs.find((t) => t.peer?.toLowerCase() === n.slice(1))?.room;
  const bare = n.replace(/^#/, '');
  return s.tabs.find((t) => t.room === bare)?.room ?? s.tabs.find((t) => t.peer?.toLowerCase() === bare)?.room;
}

export function addRoom(s: ChatState, room: string, o: { peer?: string | undefined; activate: boolean }): ChatState {
  let next = s;
  const tab = tabOf(s, room);
  if (tab === undefined) {
    next = { ...s, tabs: s.tabs.concat(newTab(room, { peer: o.peer })), parked: { ...s.parked, [room]: emptyView() } };
  } else if (o.peer !== undefined && tab.peer !== o.peer) {
    next = withTab(s, { ...tab, peer: o.peer });
  }
  return o.activate ? switchRoom(next, room) : next;
}

/** Removes a room; the active one hands over to its neighbour first. The last room stays. */
export function removeRoom(s: ChatState, room: string): ChatState {
  if (tabOf(s, room) === undefined || s.tabs.length < 2) return s;
  const next = room === s.room ? switchRoom(s, neighbour(s, -1)) : s;
  return { ...next, tabs: next.tabs.filter((t) => t.room !== room), parked: without(next.parked, room) };
}

/**
 * The read marker as stored (server or state dir): it only moves forward
 * unless the epoch changed (a reset room starts over). Nothing at or below it
 * counts as unread or rings.
 */
export function setMarker(s: ChatState, room: string, seq: number, epoch: string | undefined): ChatState {
  const tab = tabOf(s, room);
  if (tab === undefined) return s;
  const newEpoch = epoch !== undefined && tab.readEpoch !== undefined && epoch !== tab.readEpoch;
  const readSeq = newEpoch ? seq : Math.max(tab.readSeq, seq);
  if (readSeq === tab.readSeq && (epoch ?? tab.readEpoch) === tab.readEpoch) return s;
  const seenSeq = newEpoch ? readSeq : Math.max(tab.seenSeq, readSeq);
  // Counted again: messages already here may now be below the marker (read on another machine).
  const { unread, mentions } = countUnread(viewOf(s, room).lines, seenSeq, tab.peer !== undefined);
  return withTab(s, {
    ...tab,
    readSeq,
    readEpoch: epoch ?? tab.readEpoch,
    seenSeq,
    alertedSeq: Math.max(tab.alertedSeq, readSeq),
    unread,
    mentions,
  });
}

/** Messages from others after `after`, and how many of them call for the user (mentions; all, in a DM). */
export function countUnread(lines: readonly Line[], after: number, dm: boolean): { unread: number; mentions: number } {
  let unread = 0;
  let mentions = 0;
  for (const l of lines) {
    if (l.kind !== 'message' || l.own || l.seq <= after) continue;
    unread++;
    if (dm || l.mention) mentions++;
  }
  return { unread, mentions };
}
