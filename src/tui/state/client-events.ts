/**
 * Folds one batch of ChatClient events into the state. A batch builds its new
 * lines in one array and appends once, so a frame with hundreds of messages
 * copies the history once, not once per message.
 */
import type { HelloEvent, MessageEvent, PresenceEvent } from '../../protocol/index.js';
import type { ConnectionState, MessageMeta, OutgoingMessage } from '../../client/types.js';
import { excerpt } from '../../client/text-check.js';
import { formatCount, isAction, mentions } from '../format.js';
import { presenceDiff } from './presence-diff.js';
import { roomLabel } from './room-label.js';
import type { ClientEvent } from './actions.js';
import { callsForUser, notifies, rings, sanitizeNotification } from './alerts.js';
import { tabOf, viewOf, withTab, withView } from './rooms.js';
import type { ChatState, Line, PendingLine, RoomTab, RoomView, SystemLevel } from './types.js';

/** More joins/leaves than this in one presence update become one summary line. */
const PRESENCE_DETAIL_MAX = 5;

/** A room's view and tab while a batch works on them. */
interface Draft {
  view: RoomView;
  tab: RoomTab;
  added: Line[];
}

/** Recent mentions kept for /mentions. */
export const MENTIONS_MAX = 100;

class Batch {
  nextId: number;
  /** A shallow copy of the state, owned by the batch: handlers may assign its fields. */
  state: ChatState;
  /** The rooms this batch touched, by room. */
  readonly drafts = new Map<string, Draft>();
  bell = false;
  notify: { title: string; body: string } | undefined;
  constructor(
    state: ChatState,
    readonly now: number,
  ) {
    this.state = { ...state };
    this.nextId = state.nextLineId;
  }
  /** The draft of `room`, or undefined for a room not in the list (left already). */
  draft(room: string): Draft | undefined {
    let d = this.drafts.get(room);
    if (d === undefined) {
      const tab = tabOf(this.state, room);
      if (tab === undefined) return undefined;
      const view = viewOf(this.state, room);
      d = { view: { ...view }, tab: { ...tab }, added: [] };
      this.drafts.set(room, d);
    }
    return d;
  }
  /** The room being looked at: active and following the stream. */
  viewing(room: string, d: Draft): boolean {
    return room === this.state.room && d.view.scrollOffset === 0;
  }
  system(text: string, level: SystemLevel = 'info', room = this.state.room): void {
    this.draft(room)?.added.push({ kind: 'system', id: this.nextId++, ts: this.now, level, text });
  }
  ownLine(d: Draft, p: PendingLine, seq: number, ts: number): void {
    d.added.push({
      kind: 'message',
      id: this.nextId++,
      seq,
      ts,
      nick: p.nick,
      text: p.text,
      own: true,
      mention: false,
      action: isAction(p.text),
    });
  }
}

function describeState(prev: ConnectionState, next: ConnectionState, b: Batch): void {
  if (next.name === 'online') {
    if (prev.name === 'reconnecting') b.system(`reconnected via ${next.via}`);
    else if (prev.name !== 'online') b.system(`connected to ${next.server} via ${next.via}`);
  } else if (next.name === 'reconnecting' && prev.name !== 'reconnecting') {
    b.system(`connection lost (${next.reason}); reconnecting`, 'warn');
  } else if (next.name === 'offline') {
    b.system(`offline: ${next.reason}`, 'error');
  }
}

/** A first presence lists the members by name only up to this many. */
const FIRST_LIST_MAX = 10;

function describePresence(room: string, v: RoomView, nick: string, e: PresenceEvent, b: Batch): void {
  const count = e.count ?? e.members.length;
  if (v.members === undefined) {
    const listed = e.truncated !== true && e.members.length <= FIRST_LIST_MAX;
    const names = e.members.map((m) => m.nick).join(', ') || 'nobody';
    const what = listed ? `${names} (${count})` : `${formatCount(count)} online (/who lists them)`;
    b.system(`in ${roomLabel(room, b.state.tabs)}: ${what}`, 'info', room);
    return;
  }
  // Without both lists there is nothing to compare: the status bar shows the count.
  if (v.truncated || e.truncated === true) return;
  const { joined, left, renamed } = presenceDiff(v.members, e.members);
  // One's own new nick was already announced ("you are now …").
  const others = renamed.filter((r) => r.to !== nick);
  if (joined.length + left.length + others.length > PRESENCE_DETAIL_MAX) {
    b.system(`${joined.length} joined, ${left.length} left (${formatCount(count)} online)`, 'info', room);
    return;
  }
  for (const r of others) b.system(`${r.from} is now ${r.to}`, 'info', room);
  for (const m of joined) b.system(`${m.nick} joined (${m.via})`, 'info', room);
  for (const m of left) b.system(`${m.nick} left`, 'info', room);
}

function updatePending(b: Batch, item: OutgoingMessage): void {
  const d = b.draft(item.room);
  if (d === undefined) return;
  const pending = d.view.pending.find((p) => p.cid === item.cid);
  if (pending === undefined) return; // already seen in the stream, or sent before this UI knew
  if (item.status === 'failed') {
    d.view.pending = d.view.pending.filter((p) => p !== pending);
    const why = item.reason === undefined ? ` (${item.error ?? 'failed'})` : `: ${item.reason}`;
    b.system(`not sent${why}: ${excerpt(pending.text)}`, 'error', item.room);
  } else if (item.status === 'acked' && pending.status !== 'acked') {
    const acked: PendingLine = { ...pending, status: 'acked' };
    if (item.seq !== undefined) acked.seq = item.seq;
    d.view.pending = d.view.pending.map((q) => (q === pending ? acked : q));
  }
}

/** Acked messages the stream will never show (skipped by a gap or reset) become lines here. */
function settleSkipped(b: Batch, d: Draft, upTo: number): void {
  const skipped = d.view.pending.filter((p) => p.status === 'acked' && p.seq !== undefined && p.seq <= upTo);
  if (skipped.length === 0) return;
  for (const p of skipped) b.ownLine(d, p, p.seq ?? 0, p.queuedAt);
  d.view.pending = d.view.pending.filter((p) => !skipped.includes(p));
}

/** The first hello of a room places the "new since you left" line: only when there is something new. */
function onHello(b: Batch, e: HelloEvent): void {
  const d = b.draft(e.room);
  if (d === undefined || d.tab.opened) return;
  d.tab.opened = true;
  d.tab.markerAt = d.tab.readSeq > 0 && e.head > d.tab.readSeq ? d.tab.readSeq : undefined;
}

function onMessage(b: Batch, m: MessageEvent, meta: MessageMeta): void {
  const d = b.draft(m.room);
  if (d === undefined) return;
  const { tab, view } = d;
  const own = meta.own;
  if (own && view.pending.some((p) => p.cid === m.cid)) view.pending = view.pending.filter((p) => p.cid !== m.cid);
  if (tab.markerAt !== undefined && m.seq > tab.markerAt) {
    d.added.push({
      kind: 'system',
      id: b.nextId++,
      ts: m.ts,
      level: 'info',
      text: 'new since you left',
      divider: true,
    });
    tab.markerAt = undefined;
  }
  // With an account the nick is the account's name, so a message under it is the user's own words sent
  // from another client (`rtchat send`, a second terminal): it must not ring, count or be a mention.
  const mine = own || m.nick === b.state.nick;
  const mention = !mine && mentions(m.text, b.state.nick);
  const line: Line = {
    kind: 'message',
    id: b.nextId++,
    seq: m.seq,
    ts: m.ts,
    nick: m.nick,
    text: m.text,
    own,
    mention,
    action: isAction(m.text),
  };
  if (meta.latencyMs !== undefined) line.latencyMs = meta.latencyMs;
  d.added.push(line);

  const dm = tab.peer !== undefined;
  const candidate = { seq: m.seq, own: mine, mention, dm };
  const at = { readSeq: tab.readSeq, alertedSeq: tab.alertedSeq };
  if (rings(b.state.bell, candidate, at)) b.bell = true;
  if (notifies(b.state.notify, candidate, at)) {
    const where = dm ? `@${tab.peer ?? m.nick}` : `${m.nick} in #${m.room}`;
    b.notify = {
      title: sanitizeNotification(`rtchat: ${where}`, 'title'),
      body: sanitizeNotification(m.text, 'body'),
    };
  }
  tab.alertedSeq = Math.max(tab.alertedSeq, m.seq);
  if (callsForUser(candidate)) {
    const log = b.state.mentionLog.concat({ room: m.room, seq: m.seq, ts: m.ts, nick: m.nick, text: m.text });
    b.state.mentionLog = log.length > MENTIONS_MAX ? log.slice(log.length - MENTIONS_MAX) : log;
  }
  if (b.viewing(m.room, d) || mine) {
    tab.seenSeq = Math.max(tab.seenSeq, m.seq);
  } else if (m.seq > Math.max(tab.readSeq, tab.seenSeq)) {
    tab.unread++;
    if (callsForUser(candidate)) tab.mentions++;
  }
}

function apply(b: Batch, e: ClientEvent): void {
  const s = b.state;
  switch (e.kind) {
    case 'state': {
      describeState(e.change.oldState, e.change.newState, b);
      const next = e.change.newState;
      b.state = { ...s, connection: next, via: next.name === 'offline' ? s.via : next.via };
      return;
    }
    case 'hello':
      onHello(b, e.hello);
      return;
    case 'message':
      onMessage(b, e.message, e.meta);
      return;
    case 'presence': {
      const presence = e.presence;
      const d = b.draft(presence.room);
      if (d === undefined) return;
      describePresence(presence.room, d.view, s.nick, presence, b);
      d.view.members = presence.members;
      d.view.online = presence.count ?? presence.members.length;
      d.view.truncated = presence.truncated === true;
      return;
    }
    case 'gap': {
      const d = b.draft(e.gap.room);
      if (d === undefined) return;
      b.system(`missed messages ${e.gap.from}–${e.gap.to}: the server no longer keeps them`, 'warn', e.gap.room);
      settleSkipped(b, d, e.gap.to);
      return;
    }
    case 'reset': {
      const d = b.draft(e.reset.room);
      if (d === undefined) return;
      b.system(`#${e.reset.room} was reset (new epoch); its log starts over at ${e.reset.head}`, 'warn', e.reset.room);
      settleSkipped(b, d, Number.MAX_SAFE_INTEGER);
      // The old log's marker means nothing in the new one.
      d.tab.readSeq = 0;
      d.tab.seenSeq = 0;
      d.tab.alertedSeq = e.reset.head;
      d.tab.readEpoch = e.reset.epoch;
      return;
    }
    case 'outbox':
      updatePending(b, e.item);
      return;
    case 'latency':
      b.state = { ...s, latency: e.latency };
      return;
    case 'via':
      if (e.from !== undefined && e.from !== e.to) b.system(`transport switched: ${e.from} → ${e.to}`);
      b.state = { ...s, via: e.to };
      return;
    case 'warning':
      b.system(e.text, 'warn');
      return;
  }
}

/** Appends lines to a view, keeps its scrollback window still, and caps its history. */
export function appendToView(v: RoomView, added: Line[], maxLines: number): RoomView {
  if (added.length === 0) return v;
  let lines = v.lines.concat(added);
  if (lines.length > maxLines) lines = lines.slice(lines.length - maxLines);
  // A reader scrolled back keeps looking at the same lines while new ones arrive.
  const scrollOffset =
    v.scrollOffset === 0 ? 0 : Math.min(v.scrollOffset + added.length, Math.max(0, lines.length - 1));
  return { ...v, lines, scrollOffset };
}

/** Appends lines to the active room's view. */
export function appendLines(s: ChatState, added: Line[], nextLineId: number): ChatState {
  if (added.length === 0) return nextLineId === s.nextLineId ? s : { ...s, nextLineId };
  return { ...withView(s, s.room, appendToView(viewOf(s, s.room), added, s.maxLines)), nextLineId };
}

export function applyClientEvents(state: ChatState, events: ClientEvent[], now: number): ChatState {
  const b = new Batch(state, now);
  for (const e of events) apply(b, e);
  let next = b.state;
  for (const [room, d] of b.drafts) {
    next = withView(next, room, appendToView(d.view, d.added, next.maxLines));
    next = withTab(next, d.tab);
  }
  if (b.bell || b.notify !== undefined) {
    next.alert = {
      id: (state.alert?.id ?? 0) + 1,
      bell: b.bell,
      ...(b.notify === undefined ? {} : { notify: b.notify }),
    };
  }
  return b.nextId === next.nextLineId ? next : { ...next, nextLineId: b.nextId };
}
