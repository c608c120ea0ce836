/** The coordinator's handle on one soak worker process: request/reply over IPC, each call bounded. */
import { fileURLToPath } from 'node:url';
import { ChildRpc } from '../child-rpc.js';
import { stopChild } from './servers.js';
import type { WorkerPlan, WorkerReply, WorkerReport, WorkerRequest, WorkerStatus } from './types.js';

/** Bound on one IPC call, ms: a worker swamped by traffic may answer late, but must answer. */
const CALL_TIMEOUT_MS = 60_000;

export class WorkerHandle {
  private constructor(private readonly rpc: ChildRpc<WorkerRequest, WorkerReply>) {}

  static async start(): Promise<WorkerHandle> {
    const script = fileURLToPath(new URL('./worker.js', import.meta.url));
    const rpc = await ChildRpc.start<WorkerRequest, WorkerReply>({
      script,
      stdout: 'inherit',
      name: 'soak worker',
      timeoutMs: CALL_TIMEOUT_MS,
    });
    return new WorkerHandle(rpc);
  }

  get pid(): number | undefined {
    return this.rpc.pid;
  }

  async begin(plan: WorkerPlan): Promise<void> {
    await this.rpc.call({ op: 'start', plan });
  }

  async status(messages: number): Promise<WorkerStatus> {
    const r = await this.rpc.call({ op: 'status', messages });
    if (!r.status) throw new Error('soak worker: status without figures');
    return r.status;
  }

  async report(messages: number): Promise<WorkerReport> {
    const r = await this.rpc.call({ op: 'report', messages });
    if (!r.report) throw new Error('soak worker: report without figures');
    return r.report;
  }

  /** Closes its clients and waits for the process to exit (killed after a grace period). */
  async stop(): Promise<void> {
    await this.rpc.call({ op: 'stop' }).catch(() => undefined);
    await stopChild(this.rpc.child, 5000);
  }
}
