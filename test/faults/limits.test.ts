/**
 * Resource limits on the real server: connections overall (503) and per IP
 * (429), rooms per WebSocket (an error frame, the socket stays), held long
 * polls per session (429). A freed slot is usable again, and a refused
 * client is answered, not dropped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  closeAllClients,
  collectSse,
  openWs,
  sseUrl,
  startTestServer,
  UpgradeRefused,
  spawnServe,
  waitFor,
  type TestServer,
} from '../helpers/index.js';
import { childEnv, ensureBuilt } from './proc.js';

let server: TestServer | undefined;
afterEach(async () => {
  closeAllClients();
  await server?.close();
  server = undefined;
});

async function refusedUpgrade(url: string): Promise<UpgradeRefused> {
  try {
    await openWs(url);
  } catch (err) {
    if (err instanceof UpgradeRefused) return err;
    throw err;
  }
  throw new Error('the upgrade was accepted');
}

async function connectionsGauge(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let n = 0;
  for (const m of text.matchAll(/^rtchat_connections\{transport="\w+"\} (\d+)/gm)) n += Number(m[1]);
  return n;
}

describe('resource limits', () => {
  it('per IP: a third connection from an address gets 429 too_many on each transport; a freed slot works', async () => {
    server = await startTestServer({ limits: { maxConnectionsPerIp: 2 } });
    const s = server;
    const ws = await openWs(s.wsUrl);
    const sse = await collectSse(sseUrl(s.url, 'lim'));
    expect(sse.status).toBe(200);

    const refused = await refusedUpgrade(s.wsUrl);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ type: 'error', code: 'too_many' });
    const sse3 = await collectSse(sseUrl(s.url, 'lim'));
    expect(sse3.status).toBe(429);
    expect(JSON.parse(sse3.errorBody)).toMatchObject({ code: 'too_many' });
    const poll = await fetch(`${s.url}/rooms/lim/messages?after=0&timeout=5`);
    expect(poll.status).toBe(429);
    expect(poll.headers.get('retry-after')).not.toBeNull();

    ws.close();
    await ws.waitClose();
    const again = await waitFor(
      async () => {
        try {
          return await openWs(s.wsUrl);
        } catch {
          return undefined;
        }
      },
      { what: 'a freed slot to take a new socket' },
    );
    expect(again.isOpen).toBe(true);
  });

  it('overall: past maxConnections the server answers 503 unavailable with Retry-After', async () => {
    server = await startTestServer({ limits: { maxConnections: 1 } });
    await openWs(server.wsUrl);
    const refused = await refusedUpgrade(server.wsUrl);
    expect(refused.status).toBe(503);
    const sse = await collectSse(sseUrl(server.url, 'lim'));
    expect(sse.status).toBe(503);
    expect(sse.headers['retry-after']).toBeDefined();
  });

  it('rooms per socket: one join too many gets a too_many error for that room; the socket stays usable', async () => {
    server = await startTestServer({ limits: { maxRoomsPerSocket: 2 } });
    const ws = await openWs(server.wsUrl);
    await ws.join('r1');
    await ws.join('r2');
    ws.send({ type: 'join', room: 'r3' });
    const err = await ws.next((f) => f.type === 'error');
    expect(err).toMatchObject({ code: 'too_many', room: 'r3' });
    ws.send({ type: 'leave', room: 'r1' });
    const hello = await ws.join('r3');
    expect(hello).toMatchObject({ type: 'hello', room: 'r3' });
  });

  it('polls per session: a second held poll of a session gets 429; other sessions, a freed slot are fine', async () => {
    server = await startTestServer({ limits: { maxPollsPerSession: 1 } });
    const s = server;
    const session = 'limits-session-aaaaaaaa';
    const held = new AbortController();
    const first = fetch(`${s.url}/rooms/lp/messages?after=0&timeout=20&session=${session}`, {
      signal: held.signal,
    }).catch(() => undefined);
    await waitFor(async () => (await connectionsGauge(s.url)) === 1, { what: 'the first poll to be held' });
    const second = await fetch(`${s.url}/rooms/lp/messages?after=0&timeout=20&session=${session}`);
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ code: 'too_many' });

    const other = fetch(`${s.url}/rooms/lp/messages?after=0&timeout=20&session=limits-session-bbbbbbbb`);
    await waitFor(async () => (await connectionsGauge(s.url)) === 2, { what: 'another session to hold a poll' });
    held.abort();
    await first;
    await waitFor(async () => (await connectionsGauge(s.url)) === 1, { what: 'the abandoned poll to free its slot' });
    const third = fetch(`${s.url}/rooms/lp/messages?after=0&timeout=20&session=${session}`);
    await waitFor(async () => (await connectionsGauge(s.url)) === 2, { what: 'the session to hold a poll again' });
    await fetch(`${s.url}/rooms/lp/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nick: 'ann', text: 'wake up' }),
    });
    expect((await other).status).toBe(200);
    expect((await third).status).toBe(200);
  });

  it('rtchat serve takes the limits as flags', async () => {
    ensureBuilt();
    const proc = await spawnServe(
      ['--memory', '--log-level', 'error', '--max-connections-per-ip', '1', '--max-polls-per-session', '1'],
      { env: childEnv() },
    );
    try {
      const first = await collectSse(sseUrl(proc.url, 'flags'));
      expect(first.status).toBe(200);
      const second = await collectSse(sseUrl(proc.url, 'flags'));
      expect(second.status).toBe(429);
      expect(second.headers.connection).toBe('close');
    } finally {
      closeAllClients();
      await proc.stop();
    }
  }, 60_000);
});
