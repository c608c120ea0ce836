/**
 * The real `rtchat serve` binary: the one ready line, JSON logs on a non-TTY
 * stderr, RTCHAT_* env flags, the default data dir, and graceful shutdown on
 * SIGTERM / SIGINT with clients on every transport. Needs `npm run build`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAllClients,
  collectSse,
  getJson,
  http,
  isBuilt,
  makeTempDir,
  newRoom,
  newSession,
  openWs,
  poll,
  postMessage,
  removeDir,
  spawnServe,
  sseUrl,
  waitFor,
  waitSseEnd,
  withTimeout,
  type ServeProcess,
} from '../helpers/index.js';

const procs: ServeProcess[] = [];
const dirs: string[] = [];

beforeAll(() => {
  if (!isBuilt()) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
});

afterEach(async () => {
  closeAllClients();
  await Promise.all(procs.splice(0).map((p) => p.stop(3000)));
  await Promise.all(dirs.splice(0).map((d) => removeDir(d)));
});

async function serve(args: string[], env: Record<string, string | undefined> = {}): Promise<ServeProcess> {
  const p = await spawnServe(args, { env });
  procs.push(p);
  return p;
}

describe('rtchat serve', () => {
  it('prints one ready line, logs JSON to stderr, and shuts down gracefully on SIGTERM', async () => {
    const p = await serve(['--memory']);
    expect(p.stdout()).toMatch(/^rtchat listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const room = newRoom('shutdown');
    expect((await postMessage(p.url, room, { nick: 'ann', text: 'hi' })).status).toBe(201);

    const ws = await openWs(`${p.url.replace(/^http/, 'ws')}/ws`, { query: { nick: 'wes', session: newSession() } });
    await ws.join(room);
    const sse = await collectSse(sseUrl(p.url, room), { query: { after: 1 } });
    await sse.events.next((e) => e.type === 'hello');
    const held = poll(p.url, room, { after: 1, timeout: 30 });
    // The poll is held once the server counts it.
    await waitFor(
      async () => /rtchat_connections\{transport="longpoll"\} 1/.test((await http(`${p.url}/metrics`)).text),
      {
        what: 'the held poll',
      },
    );

    p.kill('SIGTERM');
    const [close, answered, exit] = await Promise.all([
      ws.waitClose(5000),
      withTimeout(held, 5000, 'the held poll to be answered'),
      withTimeout(p.exited, 5000, 'the server to exit'),
      waitSseEnd(sse, 5000),
    ]);
    expect(close.code).toBe(1001);
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual({ events: [], next: 1 });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(p.stdout().split('\n').filter(Boolean)).toHaveLength(1);
    const logs = p.stderr().split('\n').filter(Boolean);
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('reads every flag from RTCHAT_* env, keeps /healthz open, and exits 0 on SIGINT', async () => {
    const dir = await makeTempDir();
    dirs.push(dir);
    // No --data: the default is $XDG_DATA_HOME/rtchat.
    const p = await serve([], { RTCHAT_TOKEN: 's3cret', RTCHAT_HISTORY: '2', XDG_DATA_HOME: dir });
    const room = newRoom('env');
    const auth = { headers: { authorization: 'Bearer s3cret' } };
    expect((await getJson(`${p.url}/rooms`)).status).toBe(401);
    expect((await getJson(`${p.url}/healthz`)).json).toEqual({ ok: true });
    for (let i = 0; i < 3; i++)
      expect((await postMessage(p.url, room, { nick: 'ann', text: `m${i}` }, auth)).status).toBe(201);
    const first = await poll(p.url, room, {}, auth);
    expect(first.status).toBe(200);
    expect(first.body.events.flatMap((e) => (e.type === 'message' ? [e.seq] : []))).toEqual([2, 3]);
    expect(existsSync(join(dir, 'rtchat', 'rtchat.db'))).toBe(true);
    p.kill('SIGINT');
    expect(await withTimeout(p.exited, 5000, 'the server to exit')).toEqual({ code: 0, signal: null });
  });

  it('--drain-ms: after SIGTERM /healthz says 503 while sends are still taken, then it exits 0', async () => {
    const p = await serve(['--memory', '--drain-ms', '3000']);
    const room = newRoom('drain');
    p.kill('SIGTERM');
    await waitFor(async () => (await http(`${p.url}/healthz`)).status === 503, { what: '/healthz to say 503' });
    expect((await postMessage(p.url, room, { nick: 'ann', text: 'draining' })).status).toBe(201);
    expect(await withTimeout(p.exited, 15_000, 'the server to exit')).toEqual({ code: 0, signal: null });
    expect(p.stderr()).toMatch(/"msg":"draining"/);
  });

  it('takes --trust-proxy from RTCHAT_TRUST_PROXY and refuses a bad entry with the usage exit code', async () => {
    const p = await serve(['--memory'], { RTCHAT_TRUST_PROXY: '127.0.0.1,10.0.0.0/8' });
    expect(p.stderr()).toMatch(/"trustProxy":\["127.0.0.1","10.0.0.0\/8"\]/);
    const { runRtchat } = await import('../helpers/spawn.js');
    const r = await runRtchat(['serve', '--memory', '--trust-proxy', '127.0.0.1,10.0.0.0/33']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--trust-proxy: .*10\.0\.0\.0\/33/);
  });

  it('refuses a bad flag with the usage exit code', async () => {
    const { runRtchat } = await import('../helpers/spawn.js');
    const r = await runRtchat(['serve', '--port', '70000', '--memory']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port/);
  });
});
