/** The runner's handle on the forked load generator: request/reply over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { pinToCpu } from './server-process.js';
import type {
  ConnectRequest,
  ConnectResult,
  GeneratorProgress,
  GeneratorReply,
  GeneratorRequest,
  LoadRequest,
  LoadResult,
} from './types.js';

type Without<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface GeneratorStartOptions {
  /** CPU to pin the generator to with taskset; none by default. */
  cpu?: number;
}

export class GeneratorHandle {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: GeneratorReply) => void>();
  private progressListener: ((p: GeneratorProgress) => void) | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (msg: GeneratorReply | GeneratorProgress) => {
      // Progress reports carry a type (only 'progress'); replies carry the request's id.
      if ('type' in msg) {
        this.progressListener?.(msg);
        return;
      }
      const settle = this.waiting.get(msg.id);
      if (settle) {
        this.waiting.delete(msg.id);
        settle(msg);
      }
    });
    child.on('exit', (code, signal) => {
      for (const [id, settle] of this.waiting) {
        settle({ id, ok: false, error: `generator exited (${signal ?? code})` });
      }
      this.waiting.clear();
    });
  }

  static async start(options: GeneratorStartOptions = {}): Promise<GeneratorHandle> {
    const script = fileURLToPath(new URL('./generator.js', import.meta.url));
    const child = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the load generator exited at start (${code})`)));
    });
    if (options.cpu !== undefined && child.pid !== undefined) await pinToCpu(child.pid, options.cpu);
    return new GeneratorHandle(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private async call(req: Without<GeneratorRequest>): Promise<GeneratorReply & { ok: true }> {
    const id = this.nextId++;
    const reply = await new Promise<GeneratorReply>((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ ...req, id });
    });
    if (!reply.ok) throw new Error(`load generator: ${reply.error}`);
    return reply;
  }

  async connect(req: Omit<ConnectRequest, 'op'>): Promise<ConnectResult> {
    const reply = await this.call({ op: 'connect', ...req });
    if (!reply.connect) throw new Error('load generator: connect without a result');
    return reply.connect;
  }

  async load(req: Omit<LoadRequest, 'op'>, onProgress?: (p: GeneratorProgress) => void): Promise<LoadResult> {
    this.progressListener = onProgress;
    try {
      const reply = await this.call({ op: 'load', ...req });
      if (!reply.load) throw new Error('load generator: load without a result');
      return reply.load;
    } finally {
      this.progressListener = undefined;
    }
  }

  async disconnect(): Promise<void> {
    await this.call({ op: 'disconnect' });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
