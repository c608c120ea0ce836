/**
 * A soak worker process (forked by the coordinator): holds its share of the
 * clients and answers over IPC. One timer for everything: the ramp (a token
 * bucket capped by handshakes in flight), due reconnects (buckets by tick,
 * full-jitter backoff), and once a second the sweep of every client's
 * deadline (connect timeout, silence, a poll held too long).
 */
import { randomBytes } from 'node:crypto';
import { VIAS, type Via } from '../../protocol/events.js';
import { PollConn } from './poll-conn.js';
import type { ConnHost, ConnTarget, SoakConn } from './soak-conn.js';
import { wallNow } from './soak-conn.js';
import { SseConn } from './sse-conn.js';
import { encodeHistogram, Tally } from './tally.js';
import type { ViaTally, WorkerPlan, WorkerReply, WorkerReport, WorkerRequest, WorkerStatus } from './types.js';
import { WsConn } from './ws-conn.js';

const TICK_MS = 20;
const SWEEP_MS = 1000;

class Worker implements ConnHost {
  readonly tally = new Tally();
  readonly room: string;
  readonly anonymous: boolean;
  readonly pollTimeoutS: number;
  readonly connectTimeoutMs: number;
  readonly silenceMs: number;
  private readonly conns: SoakConn[] = [];
  /** Clients not yet opened start here. */
  private nextToOpen = 0;
  private inFlight = 0;
  private tokens = 0;
  private lastTick = performance.now();
  private lastSweep = 0;
  private tickNo = 0;
  /** Reconnects due, by tick number. */
  private readonly due = new Map<number, SoakConn[]>();
  private readonly waitingList: SoakConn[] = [];
  private peakRss = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly plan: WorkerPlan) {
    this.room = plan.room;
    this.anonymous = plan.anonymous;
    this.pollTimeoutS = plan.pollTimeoutS;
    this.connectTimeoutMs = plan.connectTimeoutMs;
    this.silenceMs = plan.silenceMs;
    for (let k = 0; k < plan.count; k++) {
      const i = plan.first + k;
      const via = VIAS[i % VIAS.length] as Via;
      const server = new URL(plan.servers[Math.floor(i / VIAS.length) % plan.servers.length] ?? '');
      const target: ConnTarget = {
        host: server.hostname,
        port: Number(server.port),
        localAddress: plan.addresses[i % plan.addresses.length] ?? '127.0.0.1',
      };
      // As `rtchat join` does: a random session of its own and a nick.
      const identity = plan.anonymous ? '' : `session=${randomBytes(18).toString('base64url')}&nick=${via}-${i}`;
      const Conn = via === 'ws' ? WsConn : via === 'sse' ? SseConn : PollConn;
      this.conns.push(new Conn(i, identity, target, this));
    }
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  readied(): void {
    this.inFlight--;
  }

  dropped(conn: SoakConn, code: string, wasOnline: boolean): void {
    if (!wasOnline) this.inFlight--;
    this.tally.close(`${conn.via}:${code}`);
    const window = Math.min(this.plan.backoffMaxMs, this.plan.backoffMinMs * 2 ** conn.attempt++);
    const at = this.tickNo + 1 + Math.floor((Math.random() * window) / TICK_MS);
    const list = this.due.get(at);
    if (list) list.push(conn);
    else this.due.set(at, [conn]);
  }

  private connect(conn: SoakConn): void {
    this.inFlight++;
    conn.connect();
  }

  private tick(): void {
    const now = performance.now();
    this.tickNo++;
    const due = this.due.get(this.tickNo);
    if (due) {
      this.due.delete(this.tickNo);
      this.waitingList.push(...due);
    }
    // Reconnects first, then the ramp; both within the handshakes-in-flight bound.
    let taken = 0;
    while (taken < this.waitingList.length && this.inFlight < this.plan.maxInFlight) {
      const conn = this.waitingList[taken++];
      if (conn?.phase === 'waiting') {
        this.tally.reconnects++;
        this.connect(conn);
      }
    }
    if (taken > 0) this.waitingList.splice(0, taken);
    const rate = this.plan.rampPerSec;
    this.tokens = Math.min(this.tokens + (rate * (now - this.lastTick)) / 1000, rate * 0.1 + 1);
    this.lastTick = now;
    while (this.tokens >= 1 && this.nextToOpen < this.conns.length && this.inFlight < this.plan.maxInFlight) {
      this.tokens--;
      const conn = this.conns[this.nextToOpen++];
      if (conn) this.connect(conn);
    }
    if (now - this.lastSweep >= SWEEP_MS) {
      this.lastSweep = now;
      this.sweep();
    }
  }

  private sweep(): void {
    const now = wallNow();
    for (const c of this.conns) {
      if (c.deadline === 0 || now < c.deadline) continue;
      if (c.phase === 'connecting') c.expire('timeout');
      else if (c.phase === 'online') c.expire(c.via === 'longpoll' ? 'poll-timeout' : 'silent');
    }
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
  }

  status(messages: number): WorkerStatus {
    let connecting = 0;
    let ready = 0;
    let everReady = 0;
    let behind = 0;
    for (const c of this.conns) {
      if (c.phase === 'connecting') connecting++;
      else if (c.phase === 'online') ready++;
      if (c.everReady) {
        everReady++;
        if (c.got < messages) behind++;
      }
    }
    const t = this.tally;
    return {
      opened: this.nextToOpen,
      connecting,
      ready,
      everReady,
      behind,
      reconnects: t.reconnects,
      retries: t.retries,
      closes: { ...t.closes },
      delivered: t.deliveries,
      lastDeliveryAt: t.lastDeliveryAt,
      rss: Math.max(this.peakRss, process.memoryUsage.rss()),
    };
  }

  report(messages: number): WorkerReport {
    const empty = (): ViaTally => ({ clients: 0, everReady: 0, complete: 0, missing: 0 });
    const byVia = Object.fromEntries(VIAS.map((v) => [v, empty()])) as Record<Via, ViaTally>;
    let unexpected = 0;
    for (const c of this.conns) {
      const v = byVia[c.via];
      v.clients++;
      if (!c.everReady) continue;
      v.everReady++;
      v.missing += Math.max(0, messages - c.got);
      if (c.lastSeq > messages) unexpected++;
      if (c.got === messages && c.lastSeq === messages) v.complete++;
    }
    const t = this.tally;
    return {
      ...this.status(messages),
      duplicates: t.duplicates,
      gaps: t.gaps,
      unexpected,
      byVia,
      histogram: encodeHistogram(t.histogram),
      errors: [...t.errors],
    };
  }

  stop(): void {
    clearInterval(this.timer);
    for (const c of this.conns) c.close();
  }
}

let worker: Worker | undefined;

function handle(req: WorkerRequest): WorkerReply {
  try {
    switch (req.op) {
      case 'start':
        worker ??= new Worker(req.plan);
        return { id: req.id, ok: true };
      case 'status':
        if (!worker) throw new Error('not started');
        return { id: req.id, ok: true, status: worker.status(req.messages) };
      case 'report':
        if (!worker) throw new Error('not started');
        return { id: req.id, ok: true, report: worker.report(req.messages) };
      case 'stop':
        worker?.stop();
        return { id: req.id, ok: true };
    }
  } catch (err) {
    return { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

process.on('message', (msg: WorkerRequest) => {
  const reply = handle(msg);
  process.send?.(reply, () => {
    if (msg.op === 'stop') process.exit(0);
  });
});
// The coordinator going away ends the worker with it.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
