/** The runner's handle on the forked load generator: request/reply over IPC. */
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ChildRpc } from './child-rpc.js';
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

export interface GeneratorStartOptions {
  /** CPU to pin the generator to with taskset; none by default. */
  cpu?: number;
}

/** Where progress reports go while a load runs. */
interface ProgressSink {
  listener?: ((p: GeneratorProgress) => void) | undefined;
}

export class GeneratorHandle {
  private constructor(
    private readonly rpc: ChildRpc<GeneratorRequest, GeneratorReply>,
    private readonly progress: ProgressSink,
  ) {}

  static async start(options: GeneratorStartOptions = {}): Promise<GeneratorHandle> {
    const progress: ProgressSink = {};
    const rpc = await ChildRpc.start<GeneratorRequest, GeneratorReply>({
      script: fileURLToPath(new URL('./generator.js', import.meta.url)),
      name: 'load generator',
      // Progress reports carry a type (only 'progress'); replies carry the request's id.
      onEvent: (msg) => progress.listener?.(msg as GeneratorProgress),
    });
    if (options.cpu !== undefined && rpc.pid !== undefined) await pinToCpu(rpc.pid, options.cpu);
    return new GeneratorHandle(rpc, progress);
  }

  get pid(): number | undefined {
    return this.rpc.pid;
  }

  async connect(req: Omit<ConnectRequest, 'op'>): Promise<ConnectResult> {
    const reply = await this.rpc.call({ op: 'connect', ...req });
    if (!reply.connect) throw new Error('load generator: connect without a result');
    return reply.connect;
  }

  async load(req: Omit<LoadRequest, 'op'>, onProgress?: (p: GeneratorProgress) => void): Promise<LoadResult> {
    this.progress.listener = onProgress;
    try {
      const reply = await this.rpc.call({ op: 'load', ...req });
      if (!reply.load) throw new Error('load generator: load without a result');
      return reply.load;
    } finally {
      this.progress.listener = undefined;
    }
  }

  async disconnect(): Promise<void> {
    await this.rpc.call({ op: 'disconnect' });
  }

  async close(): Promise<void> {
    const child = this.rpc.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
