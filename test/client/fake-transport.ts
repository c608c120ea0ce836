/**
 * A scripted Transport for unit tests of the client's state machine: each
 * `open()` waits until the test settles it (`accept`, `refuse`) or lets the
 * connect timeout pass, and the test drives events and drops by hand. It is
 * the ChatClient's injectable `transports` seam, not a mock of the network:
 * the integration tests run the real adapters against a real server.
 */
import { ClientError } from '../../src/client/errors.js';
import type { PingSample } from '../../src/client/latency.js';
import type {
  Transport,
  TransportFactory,
  TransportHandlers,
  TransportOptions,
} from '../../src/client/transports/transport.js';
import type { OutgoingMessage } from '../../src/client/types.js';
import type { AckEvent, HelloEvent, MessageEvent, RoomEvent, Via } from '../../src/protocol/index.js';
import { deferred } from '../../src/util/async.js';

export const EPOCH = 'e1';

export class FakeTransport implements Transport {
  readonly sendWindow = 1;
  closed = false;
  private readonly opening = deferred();

  constructor(
    readonly via: Via,
    readonly options: TransportOptions,
    private readonly handlers: TransportHandlers,
    private readonly log: string[],
  ) {
    // A rejection nobody awaits yet (the lifecycle may have given up on this open) is not an error.
    this.opening.promise.catch(() => undefined);
    log.push(`open ${via} ${options.server}`);
  }

  get server(): string {
    return this.options.server;
  }

  open(): Promise<void> {
    return this.opening.promise;
  }

  /** The rooms it was opened with, in order. */
  rooms(): string[] {
    return this.options.rooms.map((r) => r.room);
  }

  /** Establishes the stream: a hello (with the given head) per room, then the open resolves. */
  accept(head = 0): void {
    for (const room of this.rooms()) this.emit(hello(room, head));
    this.log.push(`opened ${this.via}`);
    this.opening.resolve();
  }

  refuse(err: ClientError = new ClientError('unreachable', `connect ECONNREFUSED ${this.server}`)): void {
    this.opening.reject(err);
  }

  emit(event: RoomEvent): void {
    if (!this.closed) this.handlers.onEvent(event);
  }

  /** The transport dies on its own (a reset, a dead peer). */
  drop(err: ClientError = new ClientError('closed', 'socket closed (1006)')): void {
    this.closed = true;
    this.handlers.onDown(err);
  }

  send(message: OutgoingMessage): Promise<AckEvent> {
    return Promise.resolve({ type: 'ack', cid: message.cid, room: message.room, seq: 1, ts: Date.now() });
  }

  ping(): Promise<PingSample> {
    const now = Date.now();
    return Promise.resolve({ t0: now, server: now, t3: now });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.log.push(`close ${this.via}`);
  }
}

/** What a test does with each transport as the client creates it. */
export type Script = (t: FakeTransport) => void;

/** Factories for all three kinds that record every transport made, in order, and run `script` on each. */
export function scripted(script: Script): {
  factories: Record<Via, TransportFactory>;
  made: FakeTransport[];
  log: string[];
} {
  const made: FakeTransport[] = [];
  const log: string[] = [];
  const factory =
    (via: Via): TransportFactory =>
    (options, handlers) => {
      const t = new FakeTransport(via, options, handlers, log);
      made.push(t);
      // After the factory returns, as a real transport answers: never from inside the factory call.
      void Promise.resolve().then(() => script(t));
      return t;
    };
  return { factories: { ws: factory('ws'), sse: factory('sse'), longpoll: factory('longpoll') }, made, log };
}

export function hello(room: string, head: number): HelloEvent {
  const limits = { maxText: 4000, maxNick: 32 };
  return { type: 'hello', protocol: 1, server: 'fake', room, epoch: EPOCH, head, time: Date.now(), limits };
}

export function message(room: string, seq: number): MessageEvent {
  return { type: 'message', room, seq, nick: 'bob', cid: `b${seq}`, text: `m${seq}`, ts: Date.now() };
}
