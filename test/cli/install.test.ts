/**
 * `rtchat` on PATH (issue 11, finding 13), the two ways the README gives:
 * the packed project installed into a temporary prefix, and `npm install -g .`
 * from the clone; each `rtchat` found on that PATH answers --version and
 * serves. Bounded: every command is killed (by PID) past its time.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, ROOT, track, waitFor } from '../helpers/index.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without the variables of the `npm test` that runs us (npm_config_*, npm_package_*, …). */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^npm_/i.test(k) && !k.startsWith('RTCHAT_')) env[k] = v;
  }
  return { ...env, ...extra };
}

/** Runs a command to its end, killed by PID after `timeoutMs`. */
interface RunOptions {
  cwd: string;
  env: Record<string, string>;
  /** Killed (SIGKILL, by PID) after this many ms. */
  timeoutMs: number;
}

function run(cmd: string, args: string[], o: RunOptions): Promise<Done> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    }, o.timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `rtchat serve` by name from PATH, until its listening line; then /healthz; then SIGTERM by PID. */
async function serveFromPath(env: Record<string, string>, cwd: string, args: string[]): Promise<void> {
  const child = spawn('rtchat', ['serve', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('rtchat serve did not start');
  const untrack = track(() => {
    if (child.exitCode === null) process.kill(pid, 'SIGKILL');
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const url = await waitFor(() => /rtchat listening on (http:\/\/\S+)/.exec(out)?.[1], {
      what: `the listening line (stderr: ${err})`,
      timeoutMs: 20_000,
    });
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    process.kill(pid, 'SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) process.kill(pid, 'SIGKILL');
    untrack();
  }
}

/** Where `rtchat` resolves on `env`'s PATH. */
async function which(env: Record<string, string>, cwd: string): Promise<string> {
  const r = await run('sh', ['-c', 'command -v rtchat'], { cwd, env, timeoutMs: 10_000 });
  return r.stdout.trim();
}

let dir: string | undefined;
afterEach(async () => {
  if (dir) await removeDir(dir);
  dir = undefined;
});

describe('rtchat on PATH', () => {
  it('npm pack, installed into a temporary prefix: rtchat --version and rtchat serve', async () => {
    dir = await makeTempDir();
    const base = cleanEnv();
    // dist/ is built by `npm test`; --ignore-scripts keeps pack from building it again.
    const packArgs = ['pack', '--ignore-scripts', '--json', '--pack-destination', dir];
    const pack = await run('npm', packArgs, { cwd: ROOT, env: base, timeoutMs: 60_000 });
    expect(pack.code, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as { filename: string }[];
    const prefix = join(dir, 'prefix');
    // The registry is reachable, but a cached copy is preferred. Without scripts the
    // native SQLite addon is not compiled (a minute of CPU), so serve runs --memory.
    const tarball = join(dir, packed?.filename ?? '');
    const installArgs = ['install', '-g', '--prefix', prefix, tarball];
    installArgs.push('--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund');
    const install = await run('npm', installArgs, { cwd: dir, env: base, timeoutMs: 180_000 });
    expect(install.code, install.stderr).toBe(0);
    const env = cleanEnv({ PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` });
    expect(await which(env, dir)).toBe(join(prefix, 'bin', 'rtchat'));
    const version = await run('rtchat', ['--version'], { cwd: dir, env, timeoutMs: 10_000 });
    expect(version.stdout).toBe(`${VERSION}\n`);
    await serveFromPath(env, dir, ['--memory']);
  }, 300_000);

  it("the README's set-up, npm install -g . from the clone: rtchat serve with SQLite", async () => {
    // The command is taken from the README's quick start, so the doc and the test cannot drift apart.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('## Quick start');
    const quickStart = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const setUp = /^(npm install -g \.)\s+#.*PATH/m.exec(quickStart)?.[1];
    expect(setUp, 'the README says how to get rtchat on PATH').toBe('npm install -g .');
    dir = await makeTempDir();
    const prefix = join(dir, 'prefix');
    // A folder installs as a link to the clone, with its node_modules and dist/.
    const args = [...(setUp ?? '').split(' ').slice(1), '--prefix', prefix];
    args.push('--offline', '--ignore-scripts', '--no-audit', '--no-fund');
    const link = await run('npm', args, {
      cwd: ROOT,
      env: cleanEnv(),
      timeoutMs: 120_000,
    });
    expect(link.code, link.stderr).toBe(0);
    const env = cleanEnv({ PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` });
    expect(await which(env, dir)).toBe(join(prefix, 'bin', 'rtchat'));
    const version = await run('rtchat', ['--version'], { cwd: dir, env, timeoutMs: 10_000 });
    expect(version.stdout).toBe(`${VERSION}\n`);
    await serveFromPath(env, dir, ['--data', join(dir, 'data')]);
  }, 180_000);
});
