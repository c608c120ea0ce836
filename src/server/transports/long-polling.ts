import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  LIMITS,
  ProtocolError,
  parseCursor,
  validateEpoch,
  validateNick,
  validateSession,
} from '../../protocol/index.js';
import { EncodedEvent } from '../fanout/encoded-event.js';
import type { Hub } from '../hub.js';
import { sendJsonText } from '../http/respond.js';
import { resolveStart } from '../fanout/position.js';
import type { Release, ResourceLimits } from '../resource-limits.js';
import type { Room, RoomWaiter } from '../fanout/room.js';
import { dmScopeOf, type DmListener, type DmScope } from '../fanout/dm-notices.js';
import type { Principal } from '../identity/principal.js';

/** What every long poll takes, one room or several. */
export interface PollOptions {
  session: string | undefined;
  nick: string | undefined;
  /** How long to hold, ms: `timeout` seconds (default 25, clamped to 55). */
  timeoutMs: number;
  /** Messages per answer: `limit` (default and max 1000, at least 1). */
  limit: number;
}

interface PollParams extends PollOptions {
  after: number | undefined;
  epoch: string | undefined;
  pv: number | undefined;
}

/**
 * The query parameters shared by `GET /rooms/{room}/messages` and `GET /messages`.
 *
 * @throws ProtocolError `bad_request` / `invalid_nick` (400) for a malformed value.
 */
export function parsePollOptions(query: URLSearchParams): PollOptions {
  const nickRaw = query.get('nick');
  const timeoutRaw = query.get('timeout');
  let timeoutS: number = LIMITS.pollTimeout;
  if (timeoutRaw !== null && timeoutRaw !== '') {
    timeoutS = Number(timeoutRaw);
    if (!Number.isFinite(timeoutS) || timeoutS < 0) {
      throw new ProtocolError('bad_request', 'timeout must be a non-negative number');
    }
    timeoutS = Math.min(timeoutS, LIMITS.maxPollTimeout);
  }
  const limit = parseCursor(query.get('limit'), 'limit') ?? LIMITS.pollLimit;
  return {
    session: validateSession(query.get('session')),
    nick: nickRaw === null ? undefined : validateNick(nickRaw),
    timeoutMs: Math.round(timeoutS * 1000),
    limit: Math.max(1, Math.min(limit, LIMITS.pollLimit)),
  };
}

function parseParams(query: URLSearchParams): PollParams {
  const after = parseCursor(query.get('after'), 'after');
  const epoch = validateEpoch(query.get('epoch'));
  const common = parsePollOptions(query);
  return { ...common, after, epoch, pv: parseCursor(query.get('pv'), 'pv') };
}

/** `{"events":[…],"next":N}` from the shared encodings, without re-serializing events. */
function pollBody(events: readonly EncodedEvent[], next: number): string {
  let s = '{"events":[';
  for (let i = 0; i < events.length; i++) {
    if (i > 0) s += ',';
    s += events[i]!.json;
  }
  return s + '],"next":' + String(next) + '}';
}

/**
 * One long poll: `GET /rooms/{room}/messages`. Answers at once when there is
 * anything after the cursor (or a hello, reset, gap, newer presence), else
 * holds the request as a waiter on its room until a message or presence
 * change of that room arrives or the timeout passes.
 */
export async function handleLongPoll(options: {
  hub: Hub;
  req: IncomingMessage;
  res: ServerResponse;
  room: string;
  query: URLSearchParams;
  address: string;
  /** Held polls take a connection slot and one of the session's poll slots. */
  resources?: ResourceLimits;
  /** Who polls: an account's held poll is answered with a DM notice (fanout/dm-notices.ts). */
  principal?: Principal | undefined;
}): Promise<void> {
  const { hub, res, room: name } = options;
  const params = parseParams(options.query);
  const room = hub.acquireRoom(name);
  let handedOver = false;
  try {
    const graceMs = LIMITS.pollPresenceGrace * 1000;
    const anonymousKey = `anon-lp-${options.address}-${params.nick ?? ''}`;
    const key = params.nick === undefined ? undefined : (params.session ?? anonymousKey);
    if (key !== undefined && params.nick !== undefined) {
      await hub.longPollSeen(name, key, params.nick, Date.now() + 2 * params.timeoutMs + graceMs);
    }
    const state = await hub.ensureRoom(name);
    room.observeHead(state.head);
    const events: EncodedEvent[] = [];
    const start = resolveStart(state, params.after, params.epoch, hub.history);
    // A poll without `after` is a first poll: it starts with the hello, as a stream does.
    if (params.after === undefined) events.push(new EncodedEvent(hub.hello(state)));
    if (start.reset !== undefined) events.push(new EncodedEvent(start.reset));
    if (start.gap !== undefined) events.push(new EncodedEvent(start.gap));
    let cursor = start.cursor;
    if (params.pv !== undefined) {
      const presence = await hub.roomPresence(room);
      if (room.presenceVersion > params.pv) events.push(presence);
    }
    const messages = await hub.read(name, cursor, params.limit);
    for (const m of messages) {
      if (m.seq <= cursor) continue;
      events.push(new EncodedEvent(m));
      cursor = m.seq;
    }
    const touch = (): void => {
      if (key === undefined || params.nick === undefined) return;
      void hub.longPollSeen(name, key, params.nick, Date.now() + params.timeoutMs + graceMs);
    };
    if (events.length > 0 || params.timeoutMs === 0 || hub.closing) {
      touch();
      hub.metrics.delivered('longpoll', messages.length, Number.POSITIVE_INFINITY);
      sendJsonText(res, 200, pollBody(events, cursor));
      return;
    }
    const release = options.resources?.acquirePoll(params.session, options.address);
    handedOver = true;
    const { pv, limit, timeoutMs, session } = params;
    const dmScope = dmScopeOf(options.principal);
    new PollWaiter({ hub, room, res, cursor, pv, limit, timeoutMs, onDone: touch, release, dmScope, session }).hold();
  } finally {
    if (!handedOver) hub.releaseRoom(room);
  }
}

/** A held poll; owns its room reference until answered or abandoned. */
class PollWaiter implements RoomWaiter, DmListener {
  readonly dmScope: DmScope | undefined;
  private readonly session: string | undefined;
  private readonly hub: Hub;
  private readonly room: Room;
  private readonly res: ServerResponse;
  private readonly pv: number | undefined;
  private readonly limit: number;
  private readonly timeoutMs: number;
  private readonly onDone: () => void;
  private readonly release: Release | undefined;
  private cursor: number;
  private done = false;
  private reading = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(o: {
    hub: Hub;
    room: Room;
    res: ServerResponse;
    cursor: number;
    pv: number | undefined;
    limit: number;
    timeoutMs: number;
    onDone: () => void;
    release?: Release | undefined;
    dmScope?: DmScope | undefined;
    session?: string | undefined;
  }) {
    this.dmScope = o.dmScope;
    this.session = o.session;
    this.hub = o.hub;
    this.room = o.room;
    this.res = o.res;
    this.cursor = o.cursor;
    this.pv = o.pv;
    this.limit = o.limit;
    this.timeoutMs = o.timeoutMs;
    this.onDone = o.onDone;
    this.release = o.release;
  }

  hold(): void {
    this.room.waiters.add(this);
    this.hub.dms.add(this);
    this.hub.metrics.connectionOpened('longpoll');
    this.timer = setTimeout(() => this.answer([]), this.timeoutMs);
    this.res.on('close', this.abandon);
    // Anything committed between our read and now was announced before we
    // registered: the room's head tells.
    if (this.room.head > this.cursor) void this.readAndAnswer();
    else if (this.pv !== undefined && this.room.presenceEvent !== undefined && this.room.presenceVersion > this.pv) {
      this.answer([this.room.presenceEvent]);
    }
  }

  onMessages(events: readonly EncodedEvent[]): void {
    if (this.done || this.reading) return;
    let i = 0;
    while (i < events.length && events[i]!.seq <= this.cursor) i++;
    if (i === events.length) return;
    if (events[i]!.seq !== this.cursor + 1) {
      void this.readAndAnswer();
      return;
    }
    const end = Math.min(events.length, i + this.limit);
    this.answer(i === 0 && end === events.length ? events : events.slice(i, end));
  }

  onPresence(event: EncodedEvent, version: number): void {
    if (this.done || this.reading || this.pv === undefined || version <= this.pv) return;
    this.answer([event]);
  }

  finish(): void {
    if (!this.reading) this.answer([]);
  }

  /** A DM of the poller's account got a message: answered with the notice, the cursor unchanged. */
  onDmNotice(room: string, notice: EncodedEvent): void {
    if (this.done || this.reading || room === this.room.name) return;
    if (this.dmScope === undefined || !this.hub.dms.firstPollNotice(this.dmScope, this.session, room)) return;
    this.answer([notice]);
  }

  private async readAndAnswer(): Promise<void> {
    this.reading = true;
    try {
      const messages = await this.hub.read(this.room.name, this.cursor, this.limit);
      this.answer(messages.filter((m) => m.seq > this.cursor).map((m) => new EncodedEvent(m)));
    } catch (err) {
      this.hub.logger.error({ err, room: this.room.name }, 'long poll read failed');
      this.answer([]);
    }
  }

  private answer(events: readonly EncodedEvent[]): void {
    if (this.done) return;
    let next = this.cursor;
    let count = 0;
    let oldest = Number.POSITIVE_INFINITY;
    for (const ev of events) {
      if (ev.seq === 0) continue;
      next = ev.seq;
      count++;
      if (ev.live && ev.ts < oldest) oldest = ev.ts;
    }
    this.cleanup();
    this.onDone();
    this.hub.metrics.delivered('longpoll', count, oldest);
    sendJsonText(this.res, 200, pollBody(events, next));
  }

  private readonly abandon = (): void => {
    this.cleanup();
  };

  private cleanup(): void {
    if (this.done) return;
    this.done = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.res.off('close', this.abandon);
    this.room.waiters.delete(this);
    this.hub.dms.remove(this);
    this.hub.metrics.connectionClosed('longpoll');
    this.hub.releaseRoom(this.room);
    this.release?.();
  }
}
