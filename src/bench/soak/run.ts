/**
 * The soak, start to end: servers (and Redis), workers, the ramp until every
 * client is ready, an idle hold, the broadcast, the drain, then the check
 * that every client got every message once and in order. Each phase has a
 * deadline; everything started here is stopped here, by PID.
 */
import { randomBytes } from 'node:crypto';
import { readProc } from '../proc-stats.js';
import { VIAS, type Via } from '../../protocol/events.js';
import type { SoakOptions } from './options.js';
import { broadcast } from './broadcast.js';
import {
  listenCounters,
  metricsAnswer,
  startNode,
  startRedis,
  stopNode,
  stopRedis,
  type Redis,
  type RtchatNode,
} from './servers.js';
import { mergeLatency } from './tally.js';
import type { NodeFigures, SoakResult, ViaTally, WorkerPlan, WorkerReport, WorkerStatus } from './types.js';
import { WorkerHandle } from './worker-handle.js';

/** 127.0.0.2 … 127.0.0.254: each source address has its own ephemeral port range. */
export const SOURCE_ADDRESSES = Array.from({ length: 253 }, (_, k) => `127.0.0.${k + 2}`);
/** Silence after which a client counts its peer dead: twice the server's 15 s heartbeat, plus 5 s. */
const SILENCE_MS = 35_000;
const STATUS_EVERY_MS = 1000;

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function sum(statuses: WorkerStatus[]): WorkerStatus {
  const total: WorkerStatus = {
    opened: 0,
    connecting: 0,
    ready: 0,
    everReady: 0,
    behind: 0,
    reconnects: 0,
    retries: 0,
    closes: {},
    delivered: 0,
    lastDeliveryAt: 0,
    rss: 0,
  };
  for (const s of statuses) {
    total.opened += s.opened;
    total.connecting += s.connecting;
    total.ready += s.ready;
    total.everReady += s.everReady;
    total.behind += s.behind;
    total.reconnects += s.reconnects;
    total.retries += s.retries;
    total.delivered += s.delivered;
    total.rss += s.rss;
    total.lastDeliveryAt = Math.max(total.lastDeliveryAt, s.lastDeliveryAt);
    for (const [k, v] of Object.entries(s.closes)) total.closes[k] = (total.closes[k] ?? 0) + v;
  }
  return total;
}

function closesLine(closes: Record<string, number>): string {
  const parts = Object.entries(closes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}×${v}`);
  return parts.length === 0 ? 'none' : parts.join(' ');
}

export type SoakLog = (line: string) => void;

export async function runSoak(o: SoakOptions, log: SoakLog = () => undefined): Promise<SoakResult> {
  const t0 = performance.now();
  const kernel0 = await listenCounters();
  const room = `soak-${randomBytes(4).toString('hex')}`;
  let redis: Redis | undefined;
  const nodes: RtchatNode[] = [];
  const workers: WorkerHandle[] = [];
  const problems: string[] = [];
  try {
    if (o.nodes > 1) {
      redis = await startRedis();
      log(`redis-server ${redis.child.pid ?? '?'} on ${redis.url}`);
    }
    for (let k = 0; k < o.nodes; k++) {
      const maxConnections = o.conns + 1000;
      nodes.push(await startNode({ redis: redis?.url, store: o.store, maxConnections, extraArgs: o.serveArgs }));
    }
    log(`rtchat ${nodes.map((n) => `${n.pid} ${n.url}`).join(', ')} (${redis ? 'redis' : o.store}); room ${room}`);
    const rssBase = await Promise.all(nodes.map(async (n) => (await readProc(n.pid))?.rss ?? 0));

    // ---- workers and the ramp ----
    const per = Math.ceil(o.conns / o.workers);
    for (let w = 0; w < o.workers; w++) workers.push(await WorkerHandle.start());
    const rampStart = performance.now();
    await Promise.all(
      workers.map((wk, w) => {
        const first = w * per;
        const plan: WorkerPlan = {
          worker: w,
          servers: nodes.map((n) => n.url),
          room,
          first,
          count: Math.max(0, Math.min(per, o.conns - first)),
          addresses: SOURCE_ADDRESSES,
          rampPerSec: o.rampPerSec / o.workers,
          maxInFlight: o.inFlight,
          anonymous: o.anonymous,
          connectTimeoutMs: o.connectTimeoutMs,
          silenceMs: SILENCE_MS,
          pollTimeoutS: 25,
          backoffMinMs: 500,
          backoffMaxMs: 30_000,
        };
        return wk.begin(plan);
      }),
    );
    const statusAll = async (messages: number): Promise<WorkerStatus> =>
      sum(await Promise.all(workers.map((w) => w.status(messages))));
    const rampDeadline = rampStart + (o.conns / o.rampPerSec) * 1000 + o.readyS * 1000;
    let s = await statusAll(0);
    while (s.ready < o.conns && performance.now() < rampDeadline) {
      await delay(STATUS_EVERY_MS);
      s = await statusAll(0);
      const at = ((performance.now() - rampStart) / 1000).toFixed(0);
      const closes = closesLine(s.closes);
      log(`ramp ${at}s: opened ${s.opened}/${o.conns}, ready ${s.ready}, connecting ${s.connecting}, closes ${closes}`);
    }
    const rampSeconds = (performance.now() - rampStart) / 1000;
    if (s.ready < o.conns) log(`ready deadline passed with ${s.ready} of ${o.conns} ready`);

    // ---- idle hold ----
    const holdEnd = performance.now() + o.holdS * 1000;
    while (performance.now() < holdEnd) {
      await delay(Math.min(2000, Math.max(0, holdEnd - performance.now())));
      s = await statusAll(0);
      log(`idle: ready ${s.ready}, connecting ${s.connecting}, closes ${closesLine(s.closes)}`);
    }
    const rssIdle = await Promise.all(nodes.map(async (n) => (await readProc(n.pid))?.rss ?? 0));
    const metricsIdle = await Promise.all(nodes.map((n) => metricsAnswer(n.url)));
    s = await statusAll(0);
    const readyAtBroadcast = s.ready;

    // ---- broadcast and drain ----
    log(`broadcast: ${o.messages} messages, one every ${o.intervalMs} ms, to ${readyAtBroadcast} ready clients`);
    const servers = nodes.map((n) => n.url);
    const sent = await broadcast({ servers, room, messages: o.messages, intervalMs: o.intervalMs });
    const drainDeadline = sent.lastSentAt + o.drainS * 1000;
    s = await statusAll(o.messages);
    while (s.behind > 0 && performance.timeOrigin + performance.now() < drainDeadline) {
      await delay(250);
      s = await statusAll(o.messages);
    }
    log(`drain: ${s.behind} clients still behind; delivered ${s.delivered}`);
    const reports: WorkerReport[] = await Promise.all(workers.map((w) => w.report(o.messages)));
    const total = sum(reports);
    const metricsEnd = await Promise.all(nodes.map((n) => metricsAnswer(n.url)));
    const rssEnd = await Promise.all(nodes.map(async (n) => (await readProc(n.pid))?.rss ?? 0));

    // Every worker reports every transport (worker.ts), so the sums start from all of them.
    const byVia = Object.fromEntries(
      VIAS.map((v) => [v, { clients: 0, everReady: 0, complete: 0, missing: 0 }]),
    ) as Record<Via, ViaTally>;
    for (const r of reports) {
      for (const [via, t] of Object.entries(r.byVia) as [Via, ViaTally][]) {
        const acc = byVia[via];
        acc.clients += t.clients;
        acc.everReady += t.everReady;
        acc.complete += t.complete;
        acc.missing += t.missing;
      }
    }
    const lost = Object.values(byVia).reduce((n, t) => n + t.missing, 0);
    const complete = Object.values(byVia).reduce((n, t) => n + t.complete, 0);
    const duplicated = reports.reduce((n, r) => n + r.duplicates, 0);
    const outOfOrder = reports.reduce((n, r) => n + r.gaps, 0);
    const unexpected = reports.reduce((n, r) => n + r.unexpected, 0);
    const latency = mergeLatency(reports.map((r) => r.histogram));
    const figures: NodeFigures[] = nodes.map((n, k) => ({
      url: n.url,
      pid: n.pid,
      rssBase: rssBase[k] ?? 0,
      rssIdle: rssIdle[k] ?? 0,
      rssEnd: rssEnd[k] ?? 0,
      metricsIdle: metricsIdle[k] ?? false,
      metricsEnd: metricsEnd[k] ?? false,
      logs: Object.fromEntries([...n.logs].sort((a, b) => b[1] - a[1]).slice(0, 10)),
      ...(n.child.exitCode !== null || n.child.signalCode !== null
        ? { crashed: String(n.child.signalCode ?? n.child.exitCode) }
        : {}),
    }));
    const drained = total.behind === 0 && total.lastDeliveryAt > 0;
    const rssGrowth = figures.reduce((n, x) => n + (x.rssIdle - x.rssBase), 0);

    if (readyAtBroadcast < o.conns) {
      problems.push(`${o.conns - readyAtBroadcast} of ${o.conns} clients were not ready when the broadcast started`);
    }
    if (sent.acked < o.messages) {
      const errors = JSON.stringify(sent.errors);
      problems.push(`${o.messages - sent.acked} of ${o.messages} messages were not acked (failed attempts ${errors})`);
    }
    if (lost > 0) problems.push(`${lost} deliveries lost (${total.everReady - complete} clients incomplete)`);
    if (duplicated > 0) problems.push(`${duplicated} deliveries doubled`);
    if (outOfOrder > 0) problems.push(`${outOfOrder} deliveries out of order`);
    if (unexpected > 0) problems.push(`${unexpected} clients got seqs past the last message`);
    for (const x of figures) if (x.crashed) problems.push(`server ${x.pid} stopped on its own (${x.crashed})`);

    const kernel1 = await listenCounters();
    return {
      ok: problems.length === 0,
      conns: o.conns,
      nodes: o.nodes,
      workers: o.workers,
      anonymous: o.anonymous,
      store: redis ? 'redis' : o.store,
      ready: readyAtBroadcast,
      everReady: total.everReady,
      rampSeconds,
      closes: total.closes,
      reconnects: total.reconnects,
      retries: total.retries,
      messages: { planned: o.messages, acked: sent.acked, errors: sent.errors },
      lost,
      duplicated,
      outOfOrder,
      unexpected,
      complete,
      byVia,
      latency,
      drainMs: drained ? Math.max(0, total.lastDeliveryAt - sent.lastSentAt) : undefined,
      rssPerConn: readyAtBroadcast > 0 ? rssGrowth / readyAtBroadcast : undefined,
      servers: figures,
      kernel: { listenOverflows: kernel1.overflows - kernel0.overflows, listenDrops: kernel1.drops - kernel0.drops },
      workerRss: total.rss,
      errors: reports.flatMap((r) => r.errors).slice(0, 10),
      seconds: (performance.now() - t0) / 1000,
      problems,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all(nodes.map((n) => stopNode(n)));
    if (redis) await stopRedis(redis);
  }
}
