/** The coordinator's handle on one soak worker process: request/reply over IPC, each call bounded. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from './servers.js';
import type { WorkerPlan, WorkerReply, WorkerReport, WorkerRequest, WorkerStatus } from './types.js';

type Without<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Bound on one IPC call, ms: a worker swamped by traffic may answer late, but must answer. */
const CALL_TIMEOUT_MS = 60_000;

export class WorkerHandle {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: WorkerReply) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (msg: WorkerReply | { type: string }) => {
      if (!('id' in msg)) return;
      const settle = this.waiting.get(msg.id);
      if (settle) {
        this.waiting.delete(msg.id);
        settle(msg);
      }
    });
    child.on('exit', (code, signal) => {
      for (const [id, settle] of this.waiting) {
        settle({ id, ok: false, error: `soak worker exited (${signal ?? code})` });
      }
      this.waiting.clear();
    });
  }

  static async start(): Promise<WorkerHandle> {
    const script = fileURLToPath(new URL('./worker.js', import.meta.url));
    const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`a soak worker exited at start (${code})`)));
    });
    return new WorkerHandle(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private async call(req: Without<WorkerRequest>): Promise<WorkerReply & { ok: true }> {
    const id = this.nextId++;
    const reply = await new Promise<WorkerReply>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        const error = `soak worker ${this.pid} did not answer ${req.op} within ${CALL_TIMEOUT_MS} ms`;
        resolve({ id, ok: false, error });
      }, CALL_TIMEOUT_MS);
      this.waiting.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      if (!this.child.connected) return resolve({ id, ok: false, error: 'soak worker is gone' });
      this.child.send({ ...req, id });
    });
    if (!reply.ok) throw new Error(reply.error);
    return reply;
  }

  async begin(plan: WorkerPlan): Promise<void> {
    await this.call({ op: 'start', plan });
  }

  async status(messages: number): Promise<WorkerStatus> {
    const r = await this.call({ op: 'status', messages });
    if (!r.status) throw new Error('soak worker: status without figures');
    return r.status;
  }

  async report(messages: number): Promise<WorkerReport> {
    const r = await this.call({ op: 'report', messages });
    if (!r.report) throw new Error('soak worker: report without figures');
    return r.report;
  }

  /** Closes its clients and waits for the process to exit (killed after a grace period). */
  async stop(): Promise<void> {
    await this.call({ op: 'stop' }).catch(() => undefined);
    await stopChild(this.child, 5000);
  }
}
