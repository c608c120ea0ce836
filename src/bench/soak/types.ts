/**
 * What the soak's coordinator and its worker processes say to each other, and
 * the figures the soak reports. Plain data: it crosses an IPC channel and `--json`.
 */
import type { Via } from '../../protocol/events.js';

/** One worker's share of the soak: clients `first … first + count - 1`. */
export interface WorkerPlan {
  worker: number;
  /** Server base URLs (`http://127.0.0.1:PORT`); client i talks to `servers[⌊i / 3⌋ mod K]`. */
  servers: string[];
  room: string;
  first: number;
  count: number;
  /** Source addresses (127.0.0.2 … 127.0.0.254); client i binds to `addresses[i mod n]`. */
  addresses: string[];
  /** This worker's share of the ramp, new connections per second. */
  rampPerSec: number;
  /** Handshakes (connect to hello) this worker has in flight at most. */
  maxInFlight: number;
  /** Clients join without session and nick (not members): a check of the harness only. */
  anonymous: boolean;
  /** Bound on one connect, from the TCP connect to the `hello`, ms. */
  connectTimeoutMs: number;
  /** Silence (no frame, no heartbeat) after which a WS or SSE client counts its peer dead, ms. */
  silenceMs: number;
  /** Long-poll hold time asked of the server, seconds. */
  pollTimeoutS: number;
  /** Reconnect backoff (full jitter): window base and cap, ms. */
  backoffMinMs: number;
  backoffMaxMs: number;
}

export type WorkerRequest = (
  | { op: 'start'; plan: WorkerPlan }
  | { op: 'status'; messages: number }
  | { op: 'report'; messages: number }
  | { op: 'stop' }
) & { id: number };

/** Per transport, from one worker or summed over all. */
export interface ViaTally {
  clients: number;
  /** Clients that got a `hello` at least once. */
  everReady: number;
  /** Clients that got every message, once and in order. */
  complete: number;
  /** Deliveries that never arrived: Σ over ever-ready clients of (messages − delivered). */
  missing: number;
}

export interface WorkerStatus {
  /** Clients opened at least once (the ramp's progress). */
  opened: number;
  /** Connections between connect and hello right now. */
  connecting: number;
  /** Clients online (hello seen, not dropped since) right now. */
  ready: number;
  everReady: number;
  /** Ever-ready clients still short of the `messages` asked about. */
  behind: number;
  reconnects: number;
  /** Polls sent again at once because a reused keep-alive socket was closed under them (not drops). */
  retries: number;
  /** Drops the harness did not ask for, by `<via>:<code>` (e.g. `ws:1013`, `sse:end`, `longpoll:http-503`). */
  closes: Record<string, number>;
  /** Message deliveries taken (first arrival of each seq per client). */
  delivered: number;
  /** Wall-clock ms (performance.timeOrigin + now) of the last delivery; 0 before any. */
  lastDeliveryAt: number;
  /** The worker's own RSS, bytes. */
  rss: number;
}

export interface WorkerReport extends WorkerStatus {
  /** Deliveries of a seq the client already had. */
  duplicates: number;
  /** Deliveries whose seq skipped past the next expected one (out of order or a hole). */
  gaps: number;
  /** Deliveries of a seq above the number of messages sent. */
  unexpected: number;
  byVia: Record<Via, ViaTally>;
  /** POST-to-receipt latency, ms, an HDR histogram in compressed base64. */
  histogram: string;
  /** The first few errors, for the report. */
  errors: string[];
}

export type WorkerReply =
  { id: number; ok: true; status?: WorkerStatus; report?: WorkerReport } | { id: number; ok: false; error: string };

/** One rtchat node of the soak. */
export interface NodeFigures {
  url: string;
  pid: number;
  /** VmRSS before any client, bytes. */
  rssBase: number;
  /** VmRSS with every client connected and idle (before the broadcast), bytes. */
  rssIdle: number;
  /** VmRSS after the drain, bytes. */
  rssEnd: number;
  /** Whether GET /metrics answered within 5 s while idle and after the drain. */
  metricsIdle: boolean;
  metricsEnd: boolean;
  /** Log lines at warn level or above, by message (the most frequent ones). */
  logs: Record<string, number>;
  /** The exit code or signal when it stopped before the soak asked. */
  crashed?: string;
}

export interface SoakResult {
  ok: boolean;
  conns: number;
  nodes: number;
  workers: number;
  anonymous: boolean;
  store: string;
  /** Ready clients when the broadcast started, and at any time. */
  ready: number;
  everReady: number;
  /** Seconds from the first connect until every client was ready (or the ready deadline). */
  rampSeconds: number;
  closes: Record<string, number>;
  reconnects: number;
  /** Long polls resent at once after the keep-alive race (a reused socket the server had closed). */
  retries: number;
  messages: { planned: number; acked: number; errors: Record<string, number> };
  /** Deliveries missing at the end, over ever-ready clients. */
  lost: number;
  duplicated: number;
  outOfOrder: number;
  unexpected: number;
  /** Ever-ready clients that ended with every message once and in order. */
  complete: number;
  byVia: Record<Via, ViaTally>;
  latency: { p50: number; p90: number; p99: number; max: number; count: number };
  /** ms from the last POST to the last delivery; undefined when not every delivery arrived. */
  drainMs: number | undefined;
  /** Σ(idle RSS − base RSS) over nodes ÷ clients ready then, bytes. */
  rssPerConn: number | undefined;
  servers: NodeFigures[];
  /** Kernel counters over the run (system-wide: other processes on the machine count too). */
  kernel: { listenOverflows: number; listenDrops: number };
  /** Peak RSS of the workers, bytes, summed. */
  workerRss: number;
  errors: string[];
  seconds: number;
  /** What the soak saw go wrong, one line each; empty when ok. */
  problems: string[];
}
