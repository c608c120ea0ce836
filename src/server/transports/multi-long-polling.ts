/**
 * `GET /messages?rooms=<room cursor list>&pv=<ROOM:VERSION,…>`: one long poll
 * for several rooms (docs/protocol.md 8.4). Each room starts exactly as a
 * single-room poll would (hello without a position, reset, gap, presence
 * newer than its `pv`, messages); the answer's `cursor` is the list to poll
 * with next, every room anchored with its epoch.
 */
import type { ServerResponse } from 'node:http';
import { LIMITS, formatRoomCursors, parsePresenceVersions, type RoomCursor } from '../../protocol/index.js';
import { EncodedEvent } from '../fanout/encoded-event.js';
import { resolveStart } from '../fanout/position.js';
import type { Room, RoomWaiter } from '../fanout/room.js';
import { dmScopeOf, type DmListener, type DmScope } from '../fanout/dm-notices.js';
import type { Principal } from '../identity/principal.js';
import { sendJsonText } from '../http/respond.js';
import type { Hub } from '../hub.js';
import type { Release, ResourceLimits } from '../resource-limits.js';
import { parsePollOptions } from './long-polling.js';

/** One room of a multi-room poll. */
interface Lane {
  readonly name: string;
  readonly room: Room;
  /** Last seq the client has once this answer arrives. */
  cursor: number;
  /** The room's epoch (known once its state was read). */
  epoch: string;
  /** The presence version the client has; undefined: it wants no presence for this room. */
  readonly pv: number | undefined;
  /** This poll's listener on the room while held. */
  waiter?: RoomWaiter;
}

/** `{"events":[…],"cursor":"a:4:e…,b:0:e…"}` from the shared encodings. */
function multiPollBody(events: readonly EncodedEvent[], lanes: readonly Lane[]): string {
  let s = '{"events":[';
  for (let i = 0; i < events.length; i++) {
    if (i > 0) s += ',';
    s += events[i]!.json;
  }
  const cursor = formatRoomCursors(lanes.map((l) => ({ room: l.name, after: l.cursor, epoch: l.epoch })));
  return s + '],"cursor":' + JSON.stringify(cursor) + '}';
}

/**
 * Answers at once when any room has something past its position (or
 * presence newer than its `pv` entry); else holds the request as a waiter on
 * every room until one of them has, or `timeout` passes. `limit` bounds the
 * messages of one answer across rooms, filled in list order.
 *
 * @param options.rooms the parsed, access-checked `rooms=` list.
 * @throws ProtocolError `bad_request` (400) for a malformed `pv`, `timeout`, `limit` or `session`,
 *   `unavailable` (503) when the store cannot serve a room, `too_many` (429) past the poll limits.
 */
export async function handleMultiLongPoll(options: {
  hub: Hub;
  res: ServerResponse;
  rooms: readonly RoomCursor[];
  query: URLSearchParams;
  address: string;
  /** Held polls take a connection slot and one of the session's poll slots (one for all rooms). */
  resources?: ResourceLimits;
  /** Who polls: an account's held poll is answered with a DM notice (fanout/dm-notices.ts). */
  principal?: Principal | undefined;
}): Promise<void> {
  const { hub, res, rooms } = options;
  const params = parsePollOptions(options.query);
  const pvRaw = options.query.get('pv');
  const pv = pvRaw === null ? undefined : parsePresenceVersions(pvRaw);
  const lanes: Lane[] = rooms.map((c) => ({
    name: c.room,
    room: hub.acquireRoom(c.room),
    cursor: 0,
    epoch: '',
    pv: pv?.get(c.room),
  }));
  let handedOver = false;
  try {
    const { nick } = params;
    const key = nick === undefined ? undefined : (params.session ?? `anon-lp-${options.address}-${nick}`);
    const lease = (holdMs: number): Promise<unknown> => {
      if (key === undefined || nick === undefined) return Promise.resolve();
      const deadline = Date.now() + holdMs + LIMITS.pollPresenceGrace * 1000;
      return Promise.all(lanes.map((l) => hub.longPollSeen(l.name, key, nick, deadline)));
    };
    // Present first, so each room's presence snapshot below includes this member.
    await lease(2 * params.timeoutMs);
    const states = await Promise.all(lanes.map((l) => hub.ensureRoom(l.name)));
    const events: EncodedEvent[] = [];
    let budget = params.limit;
    let count = 0;
    for (let i = 0; i < lanes.length; i++) {
      const lane = lanes[i]!;
      const state = states[i]!;
      const c = rooms[i]!;
      lane.room.observeHead(state.head);
      lane.epoch = state.epoch;
      const start = resolveStart(state, c.after, c.epoch, hub.history);
      // A room without a position is a first poll of it: its hello first, as on a stream.
      if (c.after === undefined) events.push(new EncodedEvent(hub.hello(state)));
      if (start.reset !== undefined) events.push(new EncodedEvent(start.reset));
      if (start.gap !== undefined) events.push(new EncodedEvent(start.gap));
      lane.cursor = start.cursor;
      if (lane.pv !== undefined) {
        const presence = await hub.roomPresence(lane.room);
        if (lane.room.presenceVersion > lane.pv) events.push(presence);
      }
      if (budget === 0) continue;
      for (const m of await hub.read(lane.name, lane.cursor, budget)) {
        if (m.seq <= lane.cursor) continue;
        events.push(new EncodedEvent(m));
        lane.cursor = m.seq;
        count++;
        budget--;
      }
    }
    const touch = (): void => void lease(params.timeoutMs);
    if (events.length > 0 || params.timeoutMs === 0 || hub.closing) {
      touch();
      hub.metrics.delivered('longpoll', count, Number.POSITIVE_INFINITY);
      sendJsonText(res, 200, multiPollBody(events, lanes));
      return;
    }
    const release = options.resources?.acquirePoll(params.session, options.address);
    handedOver = true;
    new MultiPollWaiter({
      hub,
      lanes,
      res,
      limit: params.limit,
      timeoutMs: params.timeoutMs,
      onDone: touch,
      release,
      dmScope: dmScopeOf(options.principal),
      session: params.session,
    }).hold();
  } finally {
    if (!handedOver) for (const l of lanes) hub.releaseRoom(l.room);
  }
}

/** A held multi-room poll: listens on each of its rooms; owns their references until answered or abandoned. */
class MultiPollWaiter implements DmListener {
  private readonly o: {
    hub: Hub;
    lanes: Lane[];
    res: ServerResponse;
    limit: number;
    timeoutMs: number;
    onDone: () => void;
    release?: Release | undefined;
    dmScope?: DmScope | undefined;
    session?: string | undefined;
  };
  private done = false;
  private reading = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: MultiPollWaiter['o']) {
    this.o = options;
  }

  get dmScope(): DmScope | undefined {
    return this.o.dmScope;
  }

  /** A DM of the poller's account, not among its rooms, got a message: answered with the notice, cursors unchanged. */
  onDmNotice(room: string, notice: EncodedEvent): void {
    const { hub, lanes, dmScope, session } = this.o;
    if (this.done || this.reading || dmScope === undefined || lanes.some((l) => l.name === room)) return;
    if (hub.dms.firstPollNotice(dmScope, session, room)) this.answer(undefined, [notice]);
  }

  hold(): void {
    const { hub, lanes, res } = this.o;
    for (const lane of lanes) {
      lane.waiter = {
        onMessages: (events) => this.onMessages(lane, events),
        onPresence: (event, version) => this.onPresence(lane, event, version),
        finish: () => this.finish(),
      };
      lane.room.waiters.add(lane.waiter);
    }
    hub.dms.add(this);
    hub.metrics.connectionOpened('longpoll');
    this.timer = setTimeout(() => this.answer(undefined, []), this.o.timeoutMs);
    res.on('close', this.abandon);
    // Anything committed between our reads and now was announced before we registered: the heads tell.
    for (const lane of lanes) {
      if (lane.room.head > lane.cursor) {
        void this.readAndAnswer(lane);
        return;
      }
      const p = lane.room.presenceEvent;
      if (lane.pv !== undefined && p !== undefined && lane.room.presenceVersion > lane.pv) {
        this.answer(undefined, [p]);
        return;
      }
    }
  }

  private onMessages(lane: Lane, events: readonly EncodedEvent[]): void {
    if (this.done || this.reading) return;
    let i = 0;
    while (i < events.length && events[i]!.seq <= lane.cursor) i++;
    if (i === events.length) return;
    if (events[i]!.seq !== lane.cursor + 1) {
      void this.readAndAnswer(lane);
      return;
    }
    const end = Math.min(events.length, i + this.o.limit);
    this.answer(lane, i === 0 && end === events.length ? events : events.slice(i, end));
  }

  private onPresence(lane: Lane, event: EncodedEvent, version: number): void {
    if (this.done || this.reading || lane.pv === undefined || version <= lane.pv) return;
    this.answer(undefined, [event]);
  }

  private finish(): void {
    if (!this.reading) this.answer(undefined, []);
  }

  private async readAndAnswer(lane: Lane): Promise<void> {
    this.reading = true;
    try {
      const messages = await this.o.hub.read(lane.name, lane.cursor, this.o.limit);
      this.answer(
        lane,
        messages.filter((m) => m.seq > lane.cursor).map((m) => new EncodedEvent(m)),
      );
    } catch (err) {
      this.o.hub.logger.error({ err, room: lane.name }, 'long poll read failed');
      this.answer(undefined, []);
    }
  }

  /** Answers with `events` (messages of `lane` only, or a presence), moving that room's cursor. */
  private answer(lane: Lane | undefined, events: readonly EncodedEvent[]): void {
    if (this.done) return;
    let count = 0;
    let oldest = Number.POSITIVE_INFINITY;
    for (const ev of events) {
      if (ev.seq === 0 || lane === undefined) continue;
      lane.cursor = ev.seq;
      count++;
      if (ev.live && ev.ts < oldest) oldest = ev.ts;
    }
    this.cleanup();
    this.o.onDone();
    this.o.hub.metrics.delivered('longpoll', count, oldest);
    sendJsonText(this.o.res, 200, multiPollBody(events, this.o.lanes));
  }

  private readonly abandon = (): void => {
    this.cleanup();
  };

  private cleanup(): void {
    if (this.done) return;
    this.done = true;
    const { hub, lanes, res } = this.o;
    if (this.timer !== undefined) clearTimeout(this.timer);
    res.off('close', this.abandon);
    for (const lane of lanes) {
      if (lane.waiter !== undefined) lane.room.waiters.delete(lane.waiter);
      hub.releaseRoom(lane.room);
    }
    hub.dms.remove(this);
    hub.metrics.connectionClosed('longpoll');
    this.o.release?.();
  }
}
