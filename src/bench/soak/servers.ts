/**
 * The processes a soak starts and stops: `node bin/rtchat.js serve` nodes on
 * 127.0.0.1 (--memory, a temp --data dir, or --redis), and with several nodes
 * one redis-server on a free port. Each is stopped by its PID only: SIGTERM,
 * then SIGKILL after a grace period; an exiting soak kills what is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'rtchat.js');
/** Distinct log messages counted per node; more are folded into one entry. */
const MAX_LOG_KINDS = 50;

const started = new Set<ChildProcess>();
const alive = (c: ChildProcess): boolean => c.pid !== undefined && c.exitCode === null && c.signalCode === null;
process.on('exit', () => {
  for (const c of started) if (alive(c)) process.kill(c.pid ?? 0, 'SIGKILL');
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Stops one child we started: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (!alive(child) || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (alive(child)) process.kill(child.pid ?? 0, 'SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
  started.delete(child);
}

/** Spawns `cmd` and resolves with the first match of `ready` in its stdout, bounded by `timeoutMs`. */
function spawnUntil(
  cmd: string,
  args: string[],
  ready: RegExp,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void stopChild(child, 0);
      reject(new Error(`${cmd} not ready within ${timeoutMs} ms: ${out.slice(-500)}`));
    }, timeoutMs);
    const onData = (chunk: string): void => {
      out += chunk;
      const m = ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve({ child, match: m });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      if (out.length < 10_000) out += c;
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited (${signal ?? code}) before it was ready: ${out.slice(-500)}`));
    });
  });
}

export interface Redis {
  url: string;
  child: ChildProcess;
  dir: string;
}

export async function startRedis(): Promise<Redis> {
  const dir = mkdtempSync(join(os.tmpdir(), 'rtchat-soak-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', ''];
  args.push('--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', dir);
  const { child } = await spawnUntil('redis-server', args, /Ready to accept connections/, process.env, 20_000);
  return { url: `redis://127.0.0.1:${port}`, child, dir };
}

export interface RtchatNode {
  url: string;
  child: ChildProcess;
  pid: number;
  /** Log lines at warn or above, by message. */
  logs: Map<string, number>;
  dataDir: string | undefined;
}

export interface NodeOptions {
  /** `--redis URL`, or undefined for a single node. */
  redis: string | undefined;
  store: 'memory' | 'sqlite';
  /** `--max-connections` and `--max-connections-per-ip`. */
  maxConnections: number;
  extraArgs: string[];
}

/** The environment without RTCHAT_* (yargs would read them as flags of serve). */
function serveEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('RTCHAT_')) env[k] = v;
  return env;
}

function countLogs(child: ChildProcess, logs: Map<string, number>): void {
  if (!child.stderr) return;
  createInterface({ input: child.stderr }).on('line', (line) => {
    let key = line.slice(0, 120);
    try {
      const j = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      if (typeof j.level === 'number' && j.level < 40) return;
      key = `${j.msg ?? ''}${j.err?.message ? ` (${j.err.message.slice(0, 60)})` : ''}`.slice(0, 120);
    } catch {
      // Not JSON: counted as the line itself.
    }
    if (!logs.has(key) && logs.size >= MAX_LOG_KINDS) key = '(other messages)';
    logs.set(key, (logs.get(key) ?? 0) + 1);
  });
}

export async function startNode(o: NodeOptions): Promise<RtchatNode> {
  let dataDir: string | undefined;
  const storeArgs: string[] = [];
  if (o.redis) storeArgs.push('--redis', o.redis);
  else if (o.store === 'sqlite') {
    dataDir = mkdtempSync(join(os.tmpdir(), 'rtchat-soak-data-'));
    storeArgs.push('--data', dataDir);
  } else storeArgs.push('--memory');
  // Defaults the extra arguments may replace (yargs refuses a flag given twice).
  const given = (flag: string): boolean => o.extraArgs.some((a) => a === flag || a.startsWith(`${flag}=`));
  const defaults: [string, string][] = [
    ['--log-level', 'warn'],
    ['--max-connections', String(o.maxConnections)],
    ['--max-connections-per-ip', String(o.maxConnections)],
  ];
  const args = [BIN, 'serve', '--host', '127.0.0.1', '--port', '0', ...storeArgs];
  for (const [flag, value] of defaults) if (!given(flag)) args.push(flag, value);
  args.push(...o.extraArgs);
  const listening = /rtchat listening on (http:\/\/\S+)/;
  const { child, match } = await spawnUntil(process.execPath, args, listening, serveEnv(), 30_000);
  const logs = new Map<string, number>();
  countLogs(child, logs);
  return { url: (match[1] ?? '').replace(/\/+$/, ''), child, pid: child.pid ?? 0, logs, dataDir };
}

export async function stopNode(node: RtchatNode): Promise<void> {
  await stopChild(node.child);
  if (node.dataDir) rmSync(node.dataDir, { recursive: true, force: true });
}

export async function stopRedis(redis: Redis): Promise<void> {
  await stopChild(redis.child);
  rmSync(redis.dir, { recursive: true, force: true });
}

/** System-wide TCP listen-queue counters (TcpExt ListenOverflows, ListenDrops); zeros where unreadable. */
export async function listenCounters(): Promise<{ overflows: number; drops: number }> {
  try {
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile('/proc/net/netstat', 'utf8')).split('\n').filter((l) => l.startsWith('TcpExt:'));
    const names = (lines[0] ?? '').split(/\s+/);
    const values = (lines[1] ?? '').split(/\s+/);
    const get = (name: string): number => Number(values[names.indexOf(name)] ?? 0) || 0;
    return { overflows: get('ListenOverflows'), drops: get('ListenDrops') };
  } catch {
    return { overflows: 0, drops: 0 };
  }
}

/** Whether GET /metrics answers 200 within `timeoutMs`. */
export async function metricsAnswer(url: string, timeoutMs = 5000): Promise<boolean> {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}
