/**
 * The server side of a bench, seen from the runner: a child we started (CPU
 * and RSS from /proc, GC through IPC) or a remote URL (/metrics, no GC).
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { isRecord } from '../protocol/validate.js';
import type { AdminReply } from './admin.js';
import { readMetrics, readProc, type ProcSample } from './proc-stats.js';

export interface MemorySample {
  rss: number;
  heapUsed: number;
  /** True when a full GC ran just before the sample. */
  gc: boolean;
}

export interface ServerHandle {
  readonly url: string;
  readonly label: string;
  readonly pid: number | undefined;
  sample(): Promise<ProcSample | undefined>;
  /** Memory, after a forced GC when `gc` and the server allows it. */
  memory(gc: boolean): Promise<MemorySample | undefined>;
  close(): Promise<void>;
}

export interface SpawnServerOptions {
  /** Module to run with node (a peer .mjs, or dist/bench/server-host.js). */
  script: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  label: string;
  /** CPU to pin the server to with taskset; none by default. */
  cpu?: number;
  /** Default 20000 ms. */
  startTimeoutMs?: number;
  /** Extra node flags, e.g. `--cpu-prof`; `--expose-gc` is always there. */
  execArgv?: string[];
}

/** Pins every thread of `pid` to one CPU; false where taskset is missing or refused. */
export function pinToCpu(pid: number, cpu: number): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], (err) => resolve(!err));
  });
}

class ChildServer implements ServerHandle {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: AdminReply) => void>();

  constructor(
    readonly url: string,
    readonly label: string,
    private readonly child: ChildProcess,
  ) {
    // Whatever the child sends: only an admin reply (a numeric id we are waiting for) is taken.
    child.on('message', (msg: unknown) => {
      if (!isRecord(msg) || typeof msg.id !== 'number') return;
      const settle = this.waiting.get(msg.id);
      if (settle) {
        this.waiting.delete(msg.id);
        settle(msg as unknown as AdminReply);
      }
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  sample(): Promise<ProcSample | undefined> {
    return this.child.pid === undefined ? Promise.resolve(undefined) : readProc(this.child.pid);
  }

  async memory(gc: boolean): Promise<MemorySample | undefined> {
    const id = this.nextId++;
    const reply = await new Promise<AdminReply | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(undefined);
      }, 10_000);
      this.waiting.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.child.send({ cmd: gc ? 'gc' : 'mem', id });
    });
    if (!reply) return undefined;
    // /proc's VmRSS is what the kernel charges; memoryUsage().rss is the same figure.
    return { rss: reply.mem.rss, heapUsed: reply.mem.heapUsed, gc: reply.gc };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

export async function spawnServer(options: SpawnServerOptions): Promise<ServerHandle> {
  const child = fork(options.script, options.args ?? [], {
    execArgv: ['--expose-gc', ...(options.execArgv ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.label} did not start within ${options.startTimeoutMs ?? 20_000} ms`));
    }, options.startTimeoutMs ?? 20_000);
    child.on('message', (msg: unknown) => {
      if (isRecord(msg) && msg.type === 'ready' && typeof msg.url === 'string') {
        clearTimeout(timer);
        resolve(msg.url);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${options.label} exited before it was ready (${signal ?? code})`));
    });
  });
  if (options.cpu !== undefined && child.pid !== undefined) await pinToCpu(child.pid, options.cpu);
  return new ChildServer(url, options.label, child);
}

/** A server somebody else runs: CPU and RSS from its /metrics, no GC. */
export function remoteServer(url: string, token?: string): ServerHandle {
  return {
    url: url.replace(/\/+$/, ''),
    label: url,
    pid: undefined,
    sample: () => readMetrics(url, token),
    async memory() {
      const s = await readMetrics(url, token);
      return s ? { rss: s.rss, heapUsed: 0, gc: false } : undefined;
    },
    close: async () => undefined,
  };
}
