/**
 * Request/reply over IPC with a forked helper process (the bench's load
 * generator, the soak's workers): each request carries an id, each reply
 * names it, and a reply that never comes is settled as a failure when the
 * child exits (or, with `timeoutMs`, when the bound passes). Messages
 * without an id (progress reports) go to `onEvent`.
 */
import { fork, type ChildProcess } from 'node:child_process';

/** A reply: `ok` with its payload, or the error the child (or this side) gives. */
export type RpcReply = { id: number } & ({ ok: true } | { ok: false; error: string });

type Without<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface ChildRpcOptions {
  /** The script to fork, with an IPC channel. */
  script: string;
  /** What the child's stdout does. Default 'ignore'. */
  stdout?: 'ignore' | 'inherit';
  /** Names the child in errors ("load generator", "soak worker"). */
  name: string;
  /** Bound on one call, in ms. Default none (the child's exit settles it). */
  timeoutMs?: number;
  /** Messages of the child that carry no id. */
  onEvent?: (msg: unknown) => void;
}

export class ChildRpc<Req extends { id: number; op: string }, Reply extends RpcReply> {
  readonly child: ChildProcess;
  private readonly options: ChildRpcOptions;
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Reply | RpcReply) => void>();

  private constructor(child: ChildProcess, options: ChildRpcOptions) {
    this.child = child;
    this.options = options;
    child.on('message', (msg: Reply | object) => {
      if (!('id' in msg)) {
        options.onEvent?.(msg);
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
        settle({ id, ok: false, error: `${options.name} exited (${signal ?? code})` });
      }
      this.waiting.clear();
    });
  }

  /** Forks the child and resolves once it says it is ready (its first message). */
  static async start<Req extends { id: number; op: string }, Reply extends RpcReply>(
    options: ChildRpcOptions,
  ): Promise<ChildRpc<Req, Reply>> {
    const child = fork(options.script, [], { stdio: ['ignore', options.stdout ?? 'ignore', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the ${options.name} exited at start (${code})`)));
    });
    return new ChildRpc<Req, Reply>(child, options);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends one request; resolves with its reply, or throws the error the reply carries. */
  async call(req: Without<Req>): Promise<Extract<Reply, { ok: true }>> {
    const id = this.nextId++;
    const { name, timeoutMs } = this.options;
    const reply = await new Promise<Reply | RpcReply>((resolve) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.waiting.delete(id);
              resolve({ id, ok: false, error: `${name} ${this.pid} did not answer ${req.op} within ${timeoutMs} ms` });
            }, timeoutMs);
      this.waiting.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      if (!this.child.connected) {
        this.waiting.delete(id);
        clearTimeout(timer);
        resolve({ id, ok: false, error: `${name} is gone` });
        return;
      }
      this.child.send({ ...req, id });
    });
    if (!reply.ok) throw new Error(`${name}: ${reply.error}`);
    return reply as Extract<Reply, { ok: true }>;
  }
}
