/**
 * Folds one batch of ChatClient events into the state. A batch builds its new
 * lines in one array and appends once, so a frame with hundreds of messages
 * copies the history once, not once per message.
 */
import type { PresenceEvent } from '../../protocol/index.js';
import type { ConnectionState, OutgoingMessage } from '../../client/types.js';
import { excerpt } from '../../client/text-check.js';
import { formatCount, isAction, mentions } from '../format.js';
import { presenceDiff } from './presence-diff.js';
import type { ClientEvent } from './actions.js';
import type { ChatState, Line, PendingLine, SystemLevel } from './types.js';

/** More joins/leaves than this in one presence update become one summary line. */
const PRESENCE_DETAIL_MAX = 5;

class Batch {
  readonly added: Line[] = [];
  nextId: number;
  /** A shallow copy of the state, owned by the batch: handlers may assign its fields. */
  state: ChatState;
  constructor(
    state: ChatState,
    readonly now: number,
  ) {
    this.state = { ...state };
    this.nextId = state.nextLineId;
  }
  system(text: string, level: SystemLevel = 'info'): void {
    this.added.push({ kind: 'system', id: this.nextId++, ts: this.now, level, text });
  }
  ownLine(p: PendingLine, seq: number, ts: number): void {
    this.added.push({
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

function describePresence(s: ChatState, e: PresenceEvent, b: Batch): void {
  const count = e.count ?? e.members.length;
  if (s.members === undefined) {
    const listed = e.truncated !== true && e.members.length <= FIRST_LIST_MAX;
    const names = e.members.map((m) => m.nick).join(', ') || 'nobody';
    const what = listed ? `${names} (${count})` : `${formatCount(count)} online (/who lists them)`;
    b.system(`in #${s.room}: ${what}`);
    return;
  }
  // Without both lists there is nothing to compare: the status bar shows the count.
  if (s.truncated || e.truncated === true) return;
  const { joined, left, renamed } = presenceDiff(s.members, e.members);
  // One's own new nick was already announced ("you are now …").
  const others = renamed.filter((r) => r.to !== s.nick);
  if (joined.length + left.length + others.length > PRESENCE_DETAIL_MAX) {
    b.system(`${joined.length} joined, ${left.length} left (${formatCount(count)} online)`);
    return;
  }
  for (const r of others) b.system(`${r.from} is now ${r.to}`);
  for (const m of joined) b.system(`${m.nick} joined (${m.via})`);
  for (const m of left) b.system(`${m.nick} left`);
}

function updatePending(b: Batch, item: OutgoingMessage): void {
  const i = b.state.pending.findIndex((p) => p.cid === item.cid);
  if (i < 0) return; // already seen in the stream, or sent before this UI knew
  const pending = b.state.pending[i] as PendingLine;
  if (item.status === 'failed') {
    b.state.pending = b.state.pending.filter((_, j) => j !== i);
    const why = item.reason === undefined ? ` (${item.error ?? 'failed'})` : `: ${item.reason}`;
    b.system(`not sent${why}: ${excerpt(pending.text)}`, 'error');
  } else if (item.status === 'acked' && pending.status !== 'acked') {
    const acked: PendingLine = { ...pending, status: 'acked' };
    if (item.seq !== undefined) acked.seq = item.seq;
    b.state.pending = b.state.pending.map((q, j) => (j === i ? acked : q));
  }
}

/** Acked messages the stream will never show (skipped by a gap or reset) become lines here. */
function settleSkipped(b: Batch, upTo: number): void {
  const skipped = b.state.pending.filter((p) => p.status === 'acked' && p.seq !== undefined && p.seq <= upTo);
  if (skipped.length === 0) return;
  for (const p of skipped) b.ownLine(p, p.seq ?? 0, p.queuedAt);
  b.state.pending = b.state.pending.filter((p) => !skipped.includes(p));
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
      return;
    case 'message': {
      const m = e.message;
      if (m.room !== s.room) return;
      const own = e.meta.own;
      if (own && s.pending.some((p) => p.cid === m.cid)) {
        b.state = { ...s, pending: s.pending.filter((p) => p.cid !== m.cid) };
      }
      const line: Line = {
        kind: 'message',
        id: b.nextId++,
        seq: m.seq,
        ts: m.ts,
        nick: m.nick,
        text: m.text,
        own,
        mention: !own && mentions(m.text, s.nick),
        action: isAction(m.text),
      };
      if (e.meta.latencyMs !== undefined) line.latencyMs = e.meta.latencyMs;
      b.added.push(line);
      return;
    }
    case 'presence': {
      const presence = e.presence;
      if (presence.room !== s.room) return;
      describePresence(s, presence, b);
      b.state = {
        ...s,
        members: presence.members,
        online: presence.count ?? presence.members.length,
        truncated: presence.truncated === true,
      };
      return;
    }
    case 'gap':
      if (e.gap.room !== s.room) return;
      b.system(`missed messages ${e.gap.from}–${e.gap.to}: the server no longer keeps them`, 'warn');
      settleSkipped(b, e.gap.to);
      return;
    case 'reset':
      if (e.reset.room !== s.room) return;
      b.system(`#${e.reset.room} was reset (new epoch); its log starts over at ${e.reset.head}`, 'warn');
      settleSkipped(b, Number.MAX_SAFE_INTEGER);
      return;
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

/** Appends lines, keeps the scrollback window still, and caps the history. */
export function appendLines(s: ChatState, added: Line[], nextLineId: number): ChatState {
  if (added.length === 0) return nextLineId === s.nextLineId ? s : { ...s, nextLineId };
  let lines = s.lines.concat(added);
  if (lines.length > s.maxLines) lines = lines.slice(lines.length - s.maxLines);
  // A reader scrolled back keeps looking at the same lines while new ones arrive.
  const scrollOffset =
    s.scrollOffset === 0 ? 0 : Math.min(s.scrollOffset + added.length, Math.max(0, lines.length - 1));
  return { ...s, lines, nextLineId, scrollOffset };
}

export function applyClientEvents(state: ChatState, events: ClientEvent[], now: number): ChatState {
  const b = new Batch(state, now);
  for (const e of events) apply(b, e);
  return appendLines(b.state, b.added, b.nextId);
}
