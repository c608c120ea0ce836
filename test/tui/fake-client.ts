/**
 * A ChatClient stand-in for UI tests: an EventEmitter the test drives by hand.
 * The network is tested with the real client elsewhere; here only the UI is.
 */
import { EventEmitter } from 'node:events';
import type { AckEvent, MessageEvent, PresenceEvent, Via } from '../../src/protocol/index.js';
import type {
  ChatClientApi,
  ChatClientEvents,
  ConnectionState,
  Cursor,
  LatencySnapshot,
  OutgoingMessage,
} from '../../src/client/types.js';
import type { PresencePage } from '../../src/client/presence-page.js';

export class FakeClient extends EventEmitter<ChatClientEvents> implements ChatClientApi {
  state: ConnectionState;
  cursor: Cursor = { seq: 0, epoch: undefined };
  room: string;
  nick: string;
  session = 'fake-session-0123456789';
  via: Via;
  latency: LatencySnapshot = {
    rtt: { samples: 0 },
    offsetMs: undefined,
    delivery: { samples: 0 },
    ownRoundTrip: { samples: 0 },
  };
  presence: PresenceEvent | undefined;
  sent: OutgoingMessage[] = [];
  calls: string[] = [];
  private n = 0;

  constructor(o: { room?: string; rooms?: string[]; nick?: string; via?: Via; server?: string } = {}) {
    super();
    this.room = o.room ?? 'lobby';
    this.rooms = o.rooms ?? [this.room];
    this.nick = o.nick ?? 'ann';
    this.via = o.via ?? 'ws';
    this.state = { name: 'connecting', via: this.via, server: o.server ?? 'http://127.0.0.1:7878' };
  }

  setState(next: ConnectionState): void {
    const oldState = this.state;
    this.state = next;
    if (next.name !== 'offline') this.via = next.via;
    this.emit('state', { oldState, newState: next });
  }

  async start(): Promise<void> {
    this.calls.push('start');
  }
  async stop(): Promise<void> {
    this.calls.push('stop');
  }
  /** Every room joined, in order (spec B1). */
  rooms: string[] = [];
  async addRoom(room: string): Promise<void> {
    this.calls.push(`add:${room}`);
    if (!this.rooms.includes(room)) this.rooms.push(room);
  }
  async removeRoom(room: string): Promise<void> {
    this.calls.push(`remove:${room}`);
    this.rooms = this.rooms.filter((r) => r !== room);
  }
  setActiveRoom(room: string): void {
    this.room = room;
  }
  cursorOf(): Cursor {
    return this.cursor;
  }
  presenceOf(): PresenceEvent | undefined {
    return this.presence;
  }
  send(text: string, options: { room?: string } = {}): OutgoingMessage {
    const item: OutgoingMessage = {
      cid: `c${++this.n}`,
      room: options.room ?? this.room,
      nick: this.nick,
      text,
      queuedAt: Date.now(),
      status: 'pending',
    };
    this.sent.push(item);
    return item;
  }
  /** Acks a sent message the way the real client reports it. */
  ack(cid: string, seq: number): void {
    const item = this.sent.find((m) => m.cid === cid);
    if (!item) throw new Error(`no such cid ${cid}`);
    item.status = 'acked';
    item.seq = seq;
    const ack: AckEvent = { type: 'ack', cid, room: item.room, seq, ts: Date.now() };
    this.emit('ack', ack);
    this.emit('outbox', item);
  }
  /** Delivers a message from the stream. */
  deliver(m: Partial<MessageEvent> & { seq: number; nick: string; text: string }, own = false): void {
    const message: MessageEvent = { type: 'message', room: this.room, cid: `x${m.seq}`, ts: Date.now(), ...m };
    this.emit('message', message, { own });
  }
  async whenAcked(cid: string): Promise<AckEvent> {
    return { type: 'ack', cid, room: this.room, seq: 0, ts: 0 };
  }
  async whenIdle(): Promise<void> {}
  outbox(): OutgoingMessage[] {
    return this.sent.filter((m) => m.status === 'pending');
  }
  async switchVia(via: Via): Promise<void> {
    this.calls.push(`via:${via}`);
  }
  async joinRoom(room: string): Promise<void> {
    this.calls.push(`join:${room}`);
    this.room = room;
    this.rooms = [room];
  }
  setNick(nick: string): void {
    this.calls.push(`nick:${nick}`);
    this.nick = nick;
  }
  /** Pages served by presencePage, by offset; a missing one is refused. */
  pages = new Map<number, PresencePage>();
  pageRequests: string[] = [];
  async presencePage(page: { offset: number; limit: number }): Promise<PresencePage> {
    this.pageRequests.push(`${page.offset}+${page.limit}`);
    const found = this.pages.get(page.offset);
    if (found === undefined) throw new Error(`no page at ${page.offset}`);
    return { ...found, members: found.members.slice(0, page.limit) };
  }
  async ping(): Promise<number> {
    return 1;
  }
  /** Every setLatencyFocus call, in order. */
  latencyFocus: boolean[] = [];
  setLatencyFocus(focused: boolean): void {
    this.latencyFocus.push(focused);
  }
}
