/**
 * What the two HTTP transports (SSE and long polling) share: sends and pings
 * go through one HttpSender, one send at a time (HTTP requests on a pool may
 * overtake each other), and closing is idempotent.
 */
import type { AckEvent } from '../../protocol/index.js';
import type { PingSample } from '../latency.js';
import type { OutgoingMessage } from '../model.js';
import { HttpSender } from './http-sender.js';
import type { Transport, TransportHandlers, TransportOptions } from './transport.js';

export abstract class HttpTransport implements Transport {
  abstract readonly via: Transport['via'];
  readonly sendWindow = 1;
  protected readonly http: HttpSender;
  protected closed = false;

  constructor(
    protected readonly options: TransportOptions,
    protected readonly handlers: TransportHandlers,
  ) {
    this.http = new HttpSender(options);
  }

  abstract open(): Promise<void>;

  /** Fixed for the transport's life: a change of rooms reopens. */
  rooms(): string[] {
    return this.options.rooms.map((r) => r.room);
  }

  send(message: OutgoingMessage): Promise<AckEvent> {
    return this.http.send(message);
  }

  ping(): Promise<PingSample> {
    return this.http.ping();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopReceiving();
    this.http.close();
  }

  /** Ends the receiving side (the stream or the poll in flight); called once, from `close`. */
  protected abstract stopReceiving(): void;
}
