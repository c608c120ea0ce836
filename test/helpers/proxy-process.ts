/**
 * A real reverse proxy (nginx, HAProxy) as a foreground child of the test:
 * its config, logs and temp files in a temp dir, listening on 127.0.0.1 on a
 * free port, stopped by its PID only. Debian's packages put the binaries in
 * /usr/sbin, which may not be on a user's PATH; `.ci/run` installs them.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { request } from 'undici';
import { removeDir } from './tmp-dir.js';
import { deferred, waitFor, withTimeout } from './wait-for.js';

export interface ProxyProcess {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  pid: number;
  /** The temp dir with the config and logs. */
  dir: string;
  /** The proxy's own error log (nginx) or its stderr (HAProxy), as it is now. */
  errors(): Promise<string>;
  /** Stops this process (SIGTERM, then SIGKILL after 10 s) and removes its dir. */
  stop(): Promise<void>;
}

/** The binary on PATH, else in /usr/sbin or /usr/local/sbin; throws with how to install it. */
export function findBinary(name: string, debianPackage: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`${name} is not installed: apt-get install ${debianPackage} (.ci/run does this)`);
}

export interface StartOptions {
  name: string;
  binary: string;
  args: string[];
  dir: string;
  port: number;
  /** Where the process writes its errors, when not to stderr. */
  errorLog?: string;
}

/**
 * Spawns the proxy and waits, bounded, until `GET /healthz` through it is
 * answered 200 by a node. On failure the child is stopped and its errors are
 * in the thrown message.
 */
export async function startProxyProcess(o: StartOptions): Promise<ProxyProcess> {
  const child = spawn(o.binary, o.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
  const exited = deferred();
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
    exited.resolve();
  });
  child.on('exit', () => exited.resolve());
  const alive = (): boolean => child.exitCode === null && child.signalCode === null && spawnError === undefined;
  // nginx's master ends its workers on SIGTERM; a SIGKILL would leave them running.
  const onExit = (): void => {
    if (alive() && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
  };
  process.once('exit', onExit);
  const url = `http://127.0.0.1:${o.port}`;
  const errors = async (): Promise<string> => {
    const log = o.errorLog === undefined ? '' : await readFile(o.errorLog, 'utf8').catch(() => '');
    return log + output;
  };
  const stop = async (): Promise<void> => {
    process.off('exit', onExit);
    if (alive() && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      try {
        await withTimeout(exited.promise, 10_000, `${o.name} ${child.pid} to exit`);
      } catch {
        if (alive()) process.kill(child.pid, 'SIGKILL');
        await exited.promise;
      }
    }
    await removeDir(o.dir);
  };
  try {
    await waitFor(
      async () => {
        const why = spawnError?.message ?? child.exitCode ?? child.signalCode;
        if (!alive()) throw new Error(`${o.name} exited (${why})`);
        const res = await request(`${url}/healthz`);
        await res.body.text();
        return res.statusCode === 200;
      },
      { timeoutMs: 15_000, intervalMs: 50, what: `${o.name} on port ${o.port} to pass /healthz to a node` },
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const log = await errors();
    await stop();
    throw new Error(`${message}\n${log}`);
  }
  return { url, port: o.port, pid: child.pid!, dir: o.dir, errors, stop };
}
