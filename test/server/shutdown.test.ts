/**
 * Graceful shutdown through `close()`: held polls are answered, SSE streams
 * end, WebSockets close with 1001, and /healthz says 503 (or the port is
 * already closed) once shutdown has begun.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  closeAllClients,
  collectSse,
  http,
  newRoom,
  newSession,
  openWs,
  poll,
  postMessage,
  sseUrl,
  startTestServer,
  waitFor,
  waitSseEnd,
  withTimeout,
  type TestServer,
} from '../helpers/index.js';

let srv: TestServer | undefined;
afterEach(async () => {
  closeAllClients();
  await srv?.close();
  srv = undefined;
});

describe('graceful shutdown', () => {
  it('answers held polls, ends SSE streams, closes WebSockets with 1001', async () => {
    srv = await startTestServer();
    const s = srv;
    const room = newRoom('shutdown');
    expect((await postMessage(s.url, room, { nick: 'ann', text: 'before' })).status).toBe(201);

    const ws = await openWs(s.wsUrl, { query: { session: newSession(), nick: 'wes' } });
    await ws.join(room);
    const sse = await collectSse(sseUrl(s.url, room, { session: newSession(), nick: 'sid' }));
    await sse.events.next((e) => e.type === 'hello');
    const held = poll(s.url, room, { after: 1, session: newSession(), nick: 'paul', timeout: 25 }).then(
      (res) => ({ res }),
      (err: unknown) => ({ err }),
    );
    await waitFor(
      async () => {
        const res = await http(`${s.url}/rooms/${room}/presence`);
        return (res.json as { members: Array<{ nick: string }> }).members.some((m) => m.nick === 'paul');
      },
      { what: 'the held poll to register' },
    );

    const closing = s.close();
    const health = await http(`${s.url}/healthz`).then(
      (res) => res.status,
      () => 'refused' as const,
    );
    expect([503, 'refused']).toContain(health);

    const polled = await withTimeout(held, 10_000, 'the held poll to be answered');
    expect('res' in polled, 'the held poll got an HTTP answer, not a dropped socket').toBe(true);
    if ('res' in polled) {
      const { res } = polled;
      if (res.status === 200) {
        expect(res.body).toEqual({ events: [], next: 1 });
      } else {
        expect(res.status).toBe(503);
        expect(res.json).toMatchObject({ type: 'error', code: 'shutting_down' });
      }
    }
    await waitSseEnd(sse, 10_000);
    expect((await ws.waitClose(10_000)).code).toBe(1001);
    await withTimeout(closing, 10_000, 'close() to resolve');

    await expect(http(`${s.url}/healthz`)).rejects.toThrow();
  });

  it('with drainMs, keeps serving with /healthz at 503 and Connection: close until the drain ends', async () => {
    srv = await startTestServer({ drainMs: 4000 });
    const s = srv;
    const room = newRoom('drain');
    const sse = await collectSse(sseUrl(s.url, room, { session: newSession(), nick: 'sid' }));
    await sse.events.next((e) => e.type === 'hello');

    const closing = s.close();
    let closed = false;
    void closing.then(() => (closed = true));
    const health = await http(`${s.url}/healthz`);
    expect(health.status).toBe(503);
    expect(health.json).toMatchObject({ type: 'error', code: 'shutting_down' });
    expect(health.headers.connection).toBe('close');
    // Still in service for whoever the balancer sends before it notices: sends, streams, new connections.
    const sent = await postMessage(s.url, room, { nick: 'ann', text: 'while draining' });
    expect(sent.status).toBe(201);
    expect(sent.headers.connection).toBe('close');
    expect(await sse.events.next((e) => e.type === 'message')).toMatchObject({ text: 'while draining' });
    const late = await collectSse(sseUrl(s.url, room, { after: 0 }));
    expect(late.status).toBe(200);
    expect(closed, 'still draining').toBe(false);

    await waitSseEnd(sse, 15_000);
    await waitSseEnd(late, 15_000);
    await withTimeout(closing, 15_000, 'close() to resolve');
    await expect(http(`${s.url}/healthz`)).rejects.toThrow();
  });

  it('close() with no clients resolves and frees the port', async () => {
    srv = await startTestServer();
    const { url } = srv;
    await withTimeout(srv.close(), 10_000, 'close() to resolve');
    await expect(http(`${url}/healthz`)).rejects.toThrow();
  });
});
