/** The soak's result as a few lines for a terminal. */
import type { SoakResult } from './types.js';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

export function formatSoak(r: SoakResult): string {
  const lines: string[] = [];
  const who = r.anonymous ? 'anonymous (no session, no nick)' : 'each with its own session and nick';
  lines.push(
    `soak: ${int(r.conns)} connections (a third each ws, sse, longpoll), ${who}; ` +
      `${r.nodes} node(s), store ${r.store}, ${r.workers} workers`,
  );
  lines.push(
    `ready:      ${int(r.ready)} of ${int(r.conns)} when the broadcast started ` +
      `(${int(r.everReady)} ever); ramp ${r.rampSeconds.toFixed(1)} s`,
  );
  const closes = Object.entries(r.closes).sort((a, b) => b[1] - a[1]);
  const closed = closes.length === 0 ? 'none' : closes.map(([k, v]) => `${k} ${int(v)}`).join(', ');
  lines.push(`closes:     ${closed}; reconnects ${int(r.reconnects)}; keep-alive retries ${int(r.retries)}`);
  const failed = Object.keys(r.messages.errors).length ? ` (failed attempts ${JSON.stringify(r.messages.errors)})` : '';
  lines.push(`messages:   ${r.messages.acked} of ${r.messages.planned} acked${failed}`);
  const perVia = Object.entries(r.byVia).map(([v, t]) => `${v} ${int(t.complete)}/${int(t.everReady)}`);
  lines.push(
    `deliveries: lost ${int(r.lost)}, doubled ${int(r.duplicated)}, out of order ${int(r.outOfOrder)}; ` +
      `${int(r.complete)} of ${int(r.everReady)} clients complete (${perVia.join(', ')})`,
  );
  const l = r.latency;
  lines.push(
    `latency:    POST to receipt p50 ${int(l.p50)} ms, p90 ${int(l.p90)} ms, p99 ${int(l.p99)} ms, ` +
      `max ${int(l.max)} ms (${int(l.count)} deliveries)`,
  );
  const drain = r.drainMs === undefined ? 'not every delivery arrived' : `${int(r.drainMs)} ms`;
  lines.push(`drain:      ${drain} (from the last POST to the last delivery)`);
  const answered = (ok: boolean): string => (ok ? 'answered' : 'NO ANSWER');
  for (const s of r.servers) {
    lines.push(
      `server ${s.pid}: RSS ${mb(s.rssBase)} → ${mb(s.rssIdle)} idle → ${mb(s.rssEnd)} end; ` +
        `/metrics ${answered(s.metricsIdle)} idle, ${answered(s.metricsEnd)} at the end` +
        (s.crashed ? `; STOPPED (${s.crashed})` : ''),
    );
    for (const [msg, n] of Object.entries(s.logs)) lines.push(`  log ×${int(n)}: ${msg}`);
  }
  const perConn = r.rssPerConn === undefined ? '-' : kb(r.rssPerConn);
  lines.push(`RSS/conn:   ${perConn} (server RSS growth from no clients to all idle ÷ clients ready then)`);
  lines.push(
    `kernel:     listen overflows ${int(r.kernel.listenOverflows)}, drops ${int(r.kernel.listenDrops)} ` +
      `(system-wide); workers' RSS ${mb(r.workerRss)}`,
  );
  for (const e of r.errors) lines.push(`  client error: ${e}`);
  const seconds = r.seconds.toFixed(0);
  lines.push(r.ok ? `OK in ${seconds} s` : `FAILED in ${seconds} s: ${r.problems.join('; ')}`);
  return lines.join('\n');
}
