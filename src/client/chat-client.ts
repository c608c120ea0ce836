/**
 * One chat client whatever the transport, in one or several rooms over one
 * transport. The parts do the thinking: each room's cursor decides what is new
 * (room-set.ts), the outbox what to (re)send, the state machine what to
 * announce, the latency tracker what to measure; this class wires them to
 * transports and runs the connect / reconnect / switch life cycle.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import {
  LIMITS,
  VIAS,
  normalizeNewlines,
  validateNick,
  validateRoom,
  type AckEvent,
  type Limits,
  type PresenceEvent,
  type Via,
} from '../protocol/index.js';
import { Backoff } from './backoff.js';
import { ConnectionStateMachine } from './connection-state.js';
import { ClientError, toClientError } from './errors.js';
import { LatencyFeed } from './latency-feed.js';
import { Outbox } from './outbox.js';
import { fetchPresencePage, type PresencePage } from './presence-page.js';
import { PingSchedule } from './ping-schedule.js';
import { defaultTransports } from './transports/index.js';
import type { StreamEvent, Transport, TransportFactory } from './transports/transport.js';
import { Lifecycle } from './lifecycle.js';
import type { RoomSet, RoomStart } from './room-set.js';
import { RoomMembership, checked, initialRooms } from './room-membership.js';
import { trustedCas } from './tls-trust.js';
import { textProblem } from './text-check.js';
import type {
  ChatClientApi,
  ChatClientEvents,
  ChatClientOptions,
  ConnectionState,
  Cursor,
  LatencySnapshot,
  OutgoingMessage,
  ViaChoice,
} from './types.js';

export class ChatClient extends EventEmitter<ChatClientEvents> implements ChatClientApi {
  readonly session: string;
  private readonly roomSet: RoomSet;
  private nickName: string;
  private readonly cidPrefix: string;
  private cidCounter = 0;
  private readonly stateMachine: ConnectionStateMachine;
  private readonly latencyFeed: LatencyFeed;
  private readonly box: Outbox;
  private readonly life: Lifecycle;
  private limits: Limits = { maxText: LIMITS.maxText, maxNick: LIMITS.maxNick };
  private readonly pings: PingSchedule;
  private readonly membership: RoomMembership;

  constructor(private readonly options: ChatClientOptions) {
    super();
    if (options.servers.length === 0) throw new ClientError('bad_request', 'at least one server is needed');
    this.roomSet = initialRooms(options);
    this.nickName = checked(() => validateNick(options.nick));
    this.session = options.session ?? randomBytes(18).toString('base64url');
    this.cidPrefix = 'c' + randomBytes(6).toString('base64url').replace(/[-_]/g, 'x') + '-';
    this.latencyFeed = new LatencyFeed({
      isLive: (seq, ts, offsetMs, room) => this.roomSet.get(room)?.live.isLive(seq, ts, offsetMs) ?? false,
      onSnapshot: (snapshot) => this.emit('latency', snapshot),
    });
    this.pings = new PingSchedule(
      {
        activeMs: options.pingIntervalMs ?? 5000,
        ...(options.idlePingIntervalMs !== undefined && { idleMs: options.idlePingIntervalMs }),
        heartbeatMs: options.heartbeatMs ?? 15_000,
      },
      () => this.pingQuietly(),
    );
    const factories: Record<Via, TransportFactory> = { ...defaultTransports, ...options.transports };
    const choice: ViaChoice = options.via ?? 'auto';
    const cas = trustedCas(options.ca);
    this.stateMachine = new ConnectionStateMachine(
      { name: 'connecting', via: choice === 'auto' ? 'ws' : choice, server: options.servers[0] ?? '' },
      (change) => this.emit('state', change),
    );
    this.box = new Outbox({
      onChange: (m) => this.emit('outbox', m),
      onAck: (ack) => this.emit('ack', ack),
      onTransmit: (m) => this.latencyFeed.sent(m.cid),
    });
    this.life = new Lifecycle({
      servers: options.servers,
      choice,
      factories,
      connectTimeoutMs: options.connectTimeoutMs ?? 3000,
      backoff: new Backoff(options.backoff),
      ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
      state: this.stateMachine,
      transportOptions: (server) => ({
        server,
        rooms: this.roomSet.transportRooms(),
        nick: this.nickName,
        session: this.session,
        ...(options.token !== undefined && { token: options.token }),
        ...(cas !== undefined && { ca: cas }),
        present: options.present ?? true,
        heartbeatMs: options.heartbeatMs ?? LIMITS.heartbeatMs,
        pollTimeoutS: options.pollTimeoutS ?? LIMITS.pollTimeout,
        requestTimeoutMs: Math.max(options.connectTimeoutMs ?? 3000, 5000),
      }),
      onEvent: (event) => this.onEvent(event),
      onOnline: (t, fresh) => this.onOnline(t, fresh),
      onOffline: () => this.onOffline(),
      onVia: (change) => this.emit('via', change),
      onWarning: (w) => this.emit('warning', w),
    });
    this.membership = new RoomMembership({
      rooms: this.roomSet,
      life: this.life,
      newOnly: options.newOnly ?? false,
      onWarning: (w) => this.emit('warning', w),
    });
  }

  get state(): ConnectionState {
    return this.stateMachine.state;
  }
  /** The active room's cursor. */
  get cursor(): Cursor {
    return this.roomSet.active.cursor.snapshot();
  }
  /** The active room. */
  get room(): string {
    return this.roomSet.active.name;
  }
  get rooms(): string[] {
    return this.roomSet.names;
  }
  get nick(): string {
    return this.nickName;
  }
  get via(): Via {
    return this.life.via;
  }
  get latency(): LatencySnapshot {
    return this.latencyFeed.snapshot();
  }
  /** The active room's latest presence. */
  get presence(): PresenceEvent | undefined {
    return this.roomSet.active.presence;
  }

  cursorOf(room: string): Cursor {
    return this.roomSet.cursorOf(room);
  }
  presenceOf(room: string): PresenceEvent | undefined {
    return this.roomSet.get(room)?.presence;
  }

  start(): Promise<void> {
    this.latencyFeed.start();
    return this.life.start();
  }

  async stop(): Promise<void> {
    this.latencyFeed.stop();
    this.pings.stop();
    this.life.stop();
    this.box.close();
  }

  send(text: string, to: { room?: string } = {}): OutgoingMessage {
    const message: OutgoingMessage = {
      cid: this.cidPrefix + (this.cidCounter++).toString(36),
      room: to.room === undefined ? this.room : checked(() => validateRoom(to.room)),
      nick: this.nickName,
      text: normalizeNewlines(text),
      queuedAt: Date.now(),
      status: 'pending',
    };
    this.pings.activity();
    const problem = textProblem(message.text, this.limits.maxText);
    if (problem !== undefined) {
      // Refused here rather than by the server: the outcome is the same, a failed send.
      this.box.enqueueFailed(message, new ClientError('invalid_text', problem));
      queueMicrotask(() => this.emit('outbox', message));
      return message;
    }
    this.box.enqueue(message);
    return message;
  }

  whenAcked(cid: string): Promise<AckEvent> {
    return this.box.whenAcked(cid);
  }

  whenIdle(): Promise<void> {
    return this.box.whenIdle();
  }

  outbox(): OutgoingMessage[] {
    return this.box.list();
  }

  switchVia(via: Via): Promise<void> {
    if (!VIAS.includes(via)) return Promise.reject(new ClientError('bad_request', `unknown transport ${via}`));
    return this.life.reopen(via, true);
  }

  joinRoom(room: string): Promise<void> {
    return this.membership.joinRoom(room);
  }

  addRoom(room: string, start: RoomStart = {}): Promise<void> {
    return this.membership.addRoom(room, start);
  }

  removeRoom(room: string): Promise<void> {
    return this.membership.removeRoom(room);
  }

  setActiveRoom(room: string): void {
    // A UI may switch its screen before addRoom resolves: a room not in (yet) leaves the active one.
    if (this.roomSet.has(room)) this.roomSet.setActive(room);
  }

  setNick(nick: string): void {
    const next = checked(() => validateNick(nick, this.limits.maxNick));
    if (next === this.nickName) return;
    this.nickName = next;
    // The nick of presence is fixed per receive request, so reopen to announce the new one.
    this.life
      .reopen(this.life.via, false)
      .catch((err: unknown) => this.emit('warning', `nick change not announced: ${toClientError(err).message}`));
  }

  presencePage(page: { offset: number; limit: number; room?: string }): Promise<PresencePage> {
    const { room = this.room, ...rest } = page;
    const { token, ca } = this.options;
    return fetchPresencePage({ server: this.life.server, room, token, ca: trustedCas(ca), ...rest });
  }

  setLatencyFocus(focused: boolean): void {
    this.pings.setFocus(focused);
  }

  async ping(): Promise<number> {
    const t = this.life.current;
    if (!t) throw new ClientError('closed', 'not connected');
    return this.latencyFeed.addPing(await t.ping());
  }

  private onOnline(t: Transport, fresh: boolean): void {
    for (const name of this.roomSet.names) this.roomSet.get(name)?.live.online(fresh);
    this.membership.reconcile(t);
    this.box.setSender({ window: t.sendWindow, send: (m) => t.send(m) });
    // A ping at once (RTT and clock offset for the new connection), then on the adaptive schedule.
    this.pings.start();
  }

  private onOffline(): void {
    this.box.setSender(undefined);
    this.pings.stop();
  }

  private pingQuietly(): void {
    this.ping().catch(() => undefined); // a lost ping is not a drop: dead-peer detection is the watchdog's job
  }

  private onEvent(event: StreamEvent): void {
    // Rooms left (or not yet ours) are dropped, as are duplicates of any room, and dm notices of our rooms.
    if (event.type === 'dm') return this.roomSet.has(event.room) ? undefined : void this.emit('dm', event);
    if (this.roomSet.get(event.room)?.accept(event) !== true) return;
    switch (event.type) {
      case 'message': {
        this.pings.activity();
        const own = event.cid.startsWith(this.cidPrefix);
        const latencyMs = this.latencyFeed.received(event, own);
        this.emit('message', event, latencyMs === undefined ? { own } : { own, latencyMs });
        return;
      }
      case 'hello':
        // asServerEvent checks a hello's epoch and room only: a server that leaves limits out keeps ours.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unchecked wire data
        this.limits = event.limits ?? this.limits;
        this.emit('hello', event);
        return;
      case 'presence':
        this.emit('presence', event);
        return;
      case 'gap':
        this.emit('gap', event);
        return;
      case 'reset':
        this.emit('reset', event);
        return;
    }
  }
}
