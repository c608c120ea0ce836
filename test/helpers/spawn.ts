/**
 * The real binary, `node bin/rtchat.js …`, as a child process. Needs
 * `npm run build` first (`npm test` does it). Children are stopped by PID only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deferred, withTimeout } from './wait-for.js';
import { track } from './tracker.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'rtchat.js');

/** True when `dist/` holds a build the binary can run. */
export function isBuilt(): boolean {
  return existsSync(join(ROOT, 'dist', 'cli', 'main.js'));
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RtchatProcess {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  /** Sends `signal` (default SIGTERM) to this child only. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL if it is still alive after `graceMs` (default 5000). */
  stop(graceMs?: number): Promise<Exit>;
}

export interface SpawnOptions {
  /** Added to the inherited environment (RTCHAT_* are not inherited); undefined removes a key. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Text written to stdin, which is then closed; default: stdin closed empty. */
  input?: string;
  /**
   * Left out of `closeAllClients` (killed only by stop() or when the test process exits):
   * for a server a whole file shares. Default false.
   */
  shared?: boolean;
  /** Leave stdin open after `input` (the test ends it with `child.stdin.end()`). Default false. */
  keepStdinOpen?: boolean;
}

/**
 * The test runner's environment without RTCHAT_* variables: yargs reads every
 * one of them as a flag (and, being strict, fails on unknown ones), so a
 * developer's exported RTCHAT_TOKEN or a test knob must not reach the child.
 */
function inheritedEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // The state directory is the test run's own (test/setup/state-dir.ts), never the user's.
    if (!key.startsWith('RTCHAT_') || key === 'RTCHAT_STATE_DIR') env[key] = value;
  }
  return env;
}

export function spawnRtchat(args: string[], options: SpawnOptions = {}): RtchatProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...inheritedEnv(), NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('rtchat did not start');
  const pid = child.pid;
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  if (options.keepStdinOpen) child.stdin.write(options.input ?? '');
  else child.stdin.end(options.input ?? '');
  const exit = deferred<Exit>();
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
  };
  let untrack: () => void;
  if (options.shared === true) {
    process.once('exit', kill);
    untrack = () => process.off('exit', kill);
  } else {
    untrack = track(kill);
  }
  child.on('exit', (code, signal) => {
    untrack();
    exit.resolve({ code, signal });
  });
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid,
    stdout: () => out,
    stderr: () => err,
    exited: exit.promise,
    kill(signal = 'SIGTERM') {
      if (alive()) process.kill(pid, signal);
    },
    async stop(graceMs = 5000) {
      if (alive()) process.kill(pid, 'SIGTERM');
      try {
        return await withTimeout(exit.promise, graceMs, `rtchat ${pid} to exit`);
      } catch {
        if (alive()) process.kill(pid, 'SIGKILL');
        return exit.promise;
      }
    },
  };
}

export interface ServeProcess extends RtchatProcess {
  /** The base URL from the `rtchat listening on …` line. */
  url: string;
}

const LISTENING_RE = /rtchat listening on (https?:\/\/\S+)/;

/**
 * Starts `rtchat serve --port 0 …` and waits, bounded, for its listening
 * line. On failure the child is killed and stderr is in the error.
 */
export async function spawnServe(
  args: string[] = [],
  options: SpawnOptions & { timeoutMs?: number; /** Default 0: a free one. */ port?: number } = {},
): Promise<ServeProcess> {
  const proc = spawnRtchat(['serve', '--host', '127.0.0.1', '--port', String(options.port ?? 0), ...args], options);
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (): void => {
      const m = LISTENING_RE.exec(proc.stdout());
      if (m?.[1]) {
        proc.child.stdout?.off('data', onData);
        resolve(m[1].replace(/\/+$/, ''));
      }
    };
    proc.child.stdout?.on('data', onData);
    void proc.exited.then((e) =>
      reject(new Error(`rtchat serve exited (${e.code ?? e.signal}) before listening: ${proc.stderr()}`)),
    );
  });
  try {
    const url = await withTimeout(ready, options.timeoutMs ?? 15_000, 'the rtchat listening line');
    return { ...proc, url };
  } catch (err) {
    proc.kill('SIGKILL');
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${message}\nstderr: ${proc.stderr()}`);
  }
}

export interface RunResult extends Exit {
  stdout: string;
  stderr: string;
}

/** Runs a one-shot command to completion (bounded; killed on timeout). */
export async function runRtchat(
  args: string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<RunResult> {
  const proc = spawnRtchat(args, options);
  let exit: Exit;
  try {
    exit = await withTimeout(proc.exited, options.timeoutMs ?? 15_000, `rtchat ${args.join(' ')} to finish`);
  } catch {
    proc.kill('SIGKILL');
    exit = await proc.exited;
  }
  return { ...exit, stdout: proc.stdout(), stderr: proc.stderr() };
}
