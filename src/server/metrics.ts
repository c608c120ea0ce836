import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Via } from '../protocol/index.js';

/**
 * Prometheus metrics of one server instance. Each server owns its registry
 * so that several servers in one process (tests, benches) do not collide.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly connections: Gauge<'transport'>;
  readonly messagesIn: Counter;
  readonly messagesOut: Counter<'transport'>;
  /** Store commit (message ts) to the bytes handed to the socket. */
  readonly deliveryLatency: Histogram;
  readonly storeWriteLatency: Histogram;
  private readonly outByVia: Record<Via, Counter.Internal>;
  private readonly connByVia: Record<Via, Gauge.Internal<'transport'>>;

  constructor() {
    const registers = [this.registry];
    // Process CPU, RSS, heap and event-loop lag: what `rtchat bench --server URL`
    // reads to report the cost of a server it did not start. Collected on scrape.
    collectDefaultMetrics({ register: this.registry });
    this.connections = new Gauge({
      name: 'rtchat_connections',
      help: 'Open connections (held polls for longpoll) by transport',
      labelNames: ['transport'],
      registers,
    });
    this.messagesIn = new Counter({
      name: 'rtchat_messages_in_total',
      help: 'Messages stored (acked as created)',
      registers,
    });
    this.messagesOut = new Counter({
      name: 'rtchat_messages_out_total',
      help: 'Message events written to clients',
      labelNames: ['transport'],
      registers,
    });
    this.deliveryLatency = new Histogram({
      name: 'rtchat_delivery_latency_seconds',
      help: 'From store commit to the write to a live socket (oldest message of each write)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.storeWriteLatency = new Histogram({
      name: 'rtchat_store_write_seconds',
      help: 'Time for store.append to resolve (includes group commit)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    // Label children resolved once: the hot path must not build label objects.
    this.outByVia = {
      ws: this.messagesOut.labels('ws'),
      sse: this.messagesOut.labels('sse'),
      longpoll: this.messagesOut.labels('longpoll'),
    };
    this.connByVia = {
      ws: this.connections.labels('ws'),
      sse: this.connections.labels('sse'),
      longpoll: this.connections.labels('longpoll'),
    };
  }

  connectionOpened(via: Via): void {
    this.connByVia[via].inc();
  }

  connectionClosed(via: Via): void {
    this.connByVia[via].dec();
  }

  delivered(via: Via, count: number, oldestTs: number): void {
    if (count === 0) return;
    this.outByVia[via].inc(count);
    // Catch-up batches carry no live message (oldestTs is Infinity): history is not latency.
    if (Number.isFinite(oldestTs)) this.deliveryLatency.observe(Math.max(0, Date.now() - oldestTs) / 1000);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
