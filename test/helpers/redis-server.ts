/**
 * A real redis-server child per test file: its own free port and data dir,
 * AOF on, no RDB snapshots. `restart()` brings it back on the same port and
 * dir (so AOF durability is what is tested); stops go to this child's PID only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './ports.js';
import { makeTempDir, removeDir } from './tmp-dir.js';
import { deferred, waitFor, withTimeout } from './wait-for.js';

export interface RedisServerOptions {
  /** AOF fsync policy. Default 'always' (every acked write is on disk). */
  appendfsync?: 'always' | 'everysec' | 'no';
}

export interface RedisServer {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  dir: string;
  /** PID of the current redis-server process. */
  readonly pid: number;
  /** SIGTERM (or `signal`) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts again on the same port and dir, waiting until it answers PING. */
  start(): Promise<void>;
  /** Stops and removes the data dir. */
  cleanup(): Promise<void>;
}

/** One PING over a raw socket: true on `+PONG` (not while loading the AOF). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ port, host: '127.0.0.1' });
    let buf = '';
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
  });
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = await makeTempDir('rtchat-redis-');
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited = deferred();
  let untrack: () => void = () => undefined;
  let log = '';

  const alive = (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;

  const start = async (): Promise<void> => {
    if (alive()) return;
    log = '';
    exited = deferred();
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      options.appendfsync ?? 'always',
      '--dir',
      dir,
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ];
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let spawnError: Error | undefined;
    // ENOENT when redis-server is not installed (CI's .ci/run installs it).
    proc.on('error', (err) => (spawnError = err));
    const pid = proc.pid;
    if (pid === undefined) {
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error(
        `cannot run redis-server (${spawnError?.message ?? 'no pid'})` +
          `: the Redis tests need it on PATH — apt-get install redis-server (.ci/run does this)`,
      );
    }
    proc.stdout.setEncoding('utf8').on('data', (s: string) => (log += s));
    proc.stderr.setEncoding('utf8').on('data', (s: string) => (log += s));
    const done = exited;
    // Not in the client tracker: `closeAllClients` between tests must not take Redis down.
    const killOnExit = (): void => {
      if (proc.exitCode === null && proc.signalCode === null) process.kill(pid, 'SIGKILL');
    };
    process.once('exit', killOnExit);
    untrack = () => process.off('exit', killOnExit);
    proc.on('exit', () => {
      untrack();
      done.resolve();
    });
    try {
      await waitFor(
        async () => {
          if (spawnError !== undefined) throw new Error(`cannot run redis-server: ${spawnError.message}`);
          if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
          return ping(port);
        },
        {
          timeoutMs: 10_000,
          intervalMs: 20,
          what: `redis-server on port ${port} to answer PING`,
        },
      );
    } catch (err) {
      if (alive()) process.kill(pid, 'SIGKILL');
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${log}`);
    }
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const proc = child;
    if (proc?.pid === undefined || !alive()) return;
    process.kill(proc.pid, signal);
    try {
      await withTimeout(exited.promise, 10_000, `redis-server ${proc.pid} to exit`);
    } catch {
      if (alive()) process.kill(proc.pid, 'SIGKILL');
      await exited.promise;
    }
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return child?.pid ?? -1;
    },
    stop,
    start,
    async cleanup() {
      await stop();
      await removeDir(dir);
    },
  };
}
