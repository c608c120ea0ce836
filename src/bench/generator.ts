/**
 * The load generator process (forked by the runner): opens subscribers,
 * publishes, measures delivery, and answers over IPC. It runs apart from the
 * server and from the CLI so its own CPU can be told apart from theirs.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Pool } from 'undici';
import { Publisher } from './publisher.js';
import { Sink } from './sink.js';
import { LongPollSubscriber } from './subscribers/longpoll-subscriber.js';
import { SioPollingSubscriber } from './subscribers/sio-polling-subscriber.js';
import { SseSubscriber } from './subscribers/sse-subscriber.js';
import { makeIdentity, type Subscriber, type SubscriberContext } from './subscribers/subscriber.js';
import { WsSubscriber } from './subscribers/ws-subscriber.js';
import { withTimeout } from '../util/async.js';
import type {
  ConnectRequest,
  ConnectResult,
  Flavor,
  GeneratorProgress,
  GeneratorReply,
  GeneratorRequest,
  LoadRequest,
  LoadResult,
} from './types.js';

/** Handshakes in flight at once; more only makes the accept queue overflow. */
const CONNECT_CONCURRENCY = 200;
/** A drain ends when nothing arrived for this long after the last ack. */
const DRAIN_IDLE_MS = 3000;
const DRAIN_MAX_MS = 20_000;

const sink = new Sink(1024);
let subscribers: Subscriber[] = [];
let pools: Pool[] = [];
// Random start: phases of an earlier run in the same room never count as this one's.
let phase = Math.floor(Math.random() * 1e6);

function makeSubscriber(flavor: Flavor, ctx: SubscriberContext): Subscriber {
  switch (flavor) {
    case 'rtchat-ws':
      return new WsSubscriber(ctx, 'rtchat');
    case 'raw-ws':
      return new WsSubscriber(ctx, 'raw');
    case 'socketio-ws':
      return new WsSubscriber(ctx, 'socketio');
    case 'rtchat-sse':
    case 'raw-sse':
      return new SseSubscriber(ctx);
    case 'rtchat-longpoll':
      return new LongPollSubscriber(ctx);
    case 'socketio-polling':
      return new SioPollingSubscriber(ctx);
  }
}

async function connect(req: ConnectRequest): Promise<ConnectResult> {
  const pool = new Pool(req.url, {
    // Every long-lived request holds one connection; polling also POSTs beside it.
    connections: req.count * 2 + 16,
    pipelining: 1,
    keepAliveTimeout: 120_000,
  });
  pools.push(pool);
  const first = subscribers.length;
  sink.ensure(first + req.count);
  let failed = 0;
  let firstError: string | undefined;
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    while (nextIndex < req.count) {
      const index = first + nextIndex++;
      sink.resetSlot(index);
      // Every subscriber joins as a real client does: its own session and a nick.
      const identity = makeIdentity('sub', index);
      const ctx: SubscriberContext = {
        url: req.url,
        room: req.room,
        token: req.token,
        extraRooms: req.extraRooms,
        identity,
        index,
        sink,
        pool,
      };
      const sub = makeSubscriber(req.flavor, ctx);
      subscribers.push(sub);
      try {
        await withTimeout(sub.ready, 30_000, () => new Error('not ready after 30000 ms'));
      } catch (err) {
        failed++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, req.count) }, worker));
  return { connected: req.count - failed, failed, ...(firstError ? { firstError } : {}) };
}

async function load(req: LoadRequest): Promise<LoadResult> {
  phase++;
  sink.begin(phase);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const publisher = new Publisher({
    url: req.url,
    room: req.room,
    rate: req.rate,
    duration: req.duration,
    phase,
    token: req.token,
  });
  const count = subscribers.length;
  const progress = setInterval(() => {
    const msg: GeneratorProgress = {
      type: 'progress',
      elapsed: (performance.now() - t0) / 1000,
      published: publisher.published,
      delivered: sink.delivered,
      expected: publisher.acked * count,
    };
    process.send?.(msg);
  }, 500);
  await publisher.run();
  const expected = publisher.acked * count;
  const drainStart = performance.now();
  await new Promise<void>((resolve) => {
    let lastSeen = sink.delivered;
    let lastChange = performance.now();
    const check = setInterval(() => {
      const now = performance.now();
      if (sink.delivered !== lastSeen) {
        lastSeen = sink.delivered;
        lastChange = now;
      }
      if (sink.delivered >= expected || now - lastChange > DRAIN_IDLE_MS || now - drainStart > DRAIN_MAX_MS) {
        clearInterval(check);
        resolve();
      }
    }, 20);
  });
  clearInterval(progress);
  loop.disable();
  const end = sink.lastDeliveryAt > 0 ? sink.lastDeliveryAt : performance.now();
  const wall = (performance.now() - t0) * 1000;
  const used = process.cpuUsage(cpu0);
  const cpu = (used.user + used.system) / wall;
  const loopDelayP99 = loop.percentile(99) / 1e6;
  const elapsed = (end - t0) / 1000;
  const dead = subscribers.filter((s) => s.dead);
  return {
    published: publisher.published,
    acked: publisher.acked,
    publishErrors: publisher.errors,
    expected,
    delivered: sink.delivered,
    lost: Math.max(0, expected - sink.delivered),
    outOfOrder: sink.outOfOrder,
    elapsed,
    deliveredPerSec: elapsed > 0 ? sink.delivered / elapsed : 0,
    latency: sink.latency(),
    generator: { cpu, loopDelayP99, bottleneck: cpu > 0.85 || loopDelayP99 > 50 },
    subscribersLost: dead.length,
    ...(dead[0]?.error ? { subscriberError: dead[0].error } : {}),
  };
}

async function disconnect(): Promise<void> {
  for (const s of subscribers) s.close();
  subscribers = [];
  const closing = pools.map((p) => p.destroy().catch(() => undefined));
  pools = [];
  await Promise.all(closing);
}

async function handle(req: GeneratorRequest): Promise<GeneratorReply> {
  try {
    switch (req.op) {
      case 'connect':
        return { id: req.id, ok: true, connect: await connect(req) };
      case 'load':
        return { id: req.id, ok: true, load: await load(req) };
      case 'disconnect':
        await disconnect();
        return { id: req.id, ok: true };
    }
  } catch (err) {
    return { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

process.on('message', (msg: GeneratorRequest) => {
  void handle(msg).then((reply) => process.send?.(reply));
});
// The runner going away ends the generator with it.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
