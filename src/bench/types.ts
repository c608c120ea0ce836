/**
 * What the bench runner and its generator process say to each other, and the
 * figures they report. Plain data: it crosses an IPC channel and `--json`.
 */

/** Who is measured and over what: rtchat per transport, or a comparison peer. */
export type Flavor =
  'rtchat-ws' | 'rtchat-sse' | 'rtchat-longpoll' | 'socketio-ws' | 'socketio-polling' | 'raw-ws' | 'raw-sse';

export const FLAVORS: readonly Flavor[] = [
  'rtchat-ws',
  'rtchat-sse',
  'rtchat-longpoll',
  'socketio-ws',
  'socketio-polling',
  'raw-ws',
  'raw-sse',
];

export interface ConnectRequest {
  op: 'connect';
  flavor: Flavor;
  /** Server base URL, `http://host:port`. */
  url: string;
  room: string;
  count: number;
  token?: string;
  /**
   * Further rooms every subscriber also reads on its one connection (none by
   * default): SSE and long polls then use the multi-room endpoints
   * (`/events?rooms=`, `/messages?rooms=`, docs/protocol.md 8.4), rtchat
   * WebSockets send one `join` per room. Loads publish to `room` only. rtchat
   * flavors only; the peers have no multi-room endpoint.
   */
  extraRooms?: string[];
}

export interface LoadRequest {
  op: 'load';
  url: string;
  room: string;
  /** Offered broadcasts per second. */
  rate: number;
  /** Seconds of publishing. */
  duration: number;
  token?: string;
}

export interface DisconnectRequest {
  op: 'disconnect';
}

export type GeneratorRequest = (ConnectRequest | LoadRequest | DisconnectRequest) & { id: number };

export interface ConnectResult {
  connected: number;
  failed: number;
  firstError?: string;
}

export interface LatencySummary {
  /** Milliseconds, from the send timestamp in the payload to its parse at the subscriber. */
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  count: number;
}

export interface GeneratorLoad {
  /** Share of one core the generator used while loading, 0..1 (or more with helper threads). */
  cpu: number;
  /** p99 event-loop delay of the generator, ms. */
  loopDelayP99: number;
  /** True when the generator, not the server, probably limited the figures. */
  bottleneck: boolean;
}

export interface LoadResult {
  published: number;
  acked: number;
  publishErrors: Record<string, number>;
  /** acked × subscribers */
  expected: number;
  delivered: number;
  lost: number;
  /** Deliveries whose seq did not grow (reordered or duplicated). */
  outOfOrder: number;
  /** Seconds from the first publish to the last delivery (or the drain deadline). */
  elapsed: number;
  deliveredPerSec: number;
  latency: LatencySummary;
  generator: GeneratorLoad;
  subscribersLost: number;
  /** Why the first lost subscriber died. */
  subscriberError?: string;
}

export type GeneratorReply =
  { id: number; ok: true; connect?: ConnectResult; load?: LoadResult } | { id: number; ok: false; error: string };

export interface GeneratorProgress {
  type: 'progress';
  elapsed: number;
  published: number;
  delivered: number;
  expected: number;
}

/** One transport's row of the final table. */
export interface BenchRow {
  flavor: Flavor;
  clients: number;
  rate: number;
  duration: number;
  load: LoadResult;
  server: {
    /** Server CPU seconds per million deliveries; undefined when it cannot be read. */
    cpuPerMillion?: number;
    cpuSeconds?: number;
    /** Server RSS after the load, bytes. */
    rss?: number;
    /** (memory with the subscribers connected − memory before) / subscribers, bytes, after GC when possible. */
    idleBytesPerConn?: number;
    idleHeapPerConn?: number;
    idleGc: boolean;
  };
}

export interface BenchReport {
  server: string;
  node: string;
  cpus: number;
  cpuModel: string;
  started: string;
  rows: BenchRow[];
}
