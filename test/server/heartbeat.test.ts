/**
 * Keep-alives, with the server's heartbeat shortened (`heartbeatMs`, an
 * extension option): SSE comment lines, WebSocket protocol pings, and the
 * close of a peer that misses two pings while a live peer stays.
 */
import { describe, expect, it } from 'vitest';
import { collectSse, newRoom, newSession, openWs, sseUrl, useTestServer, waitFor } from '../helpers/index.js';

const srv = useTestServer({ heartbeatMs: 250 });

describe('heartbeats', () => {
  it('an SSE stream gets comment lines between events', async () => {
    const s = await collectSse(sseUrl(srv.url, newRoom('hb-sse')));
    await s.events.next((e) => e.type === 'hello');
    await waitFor(() => s.lines.filter((l) => l.startsWith(':')).length >= 2, { what: 'two SSE comment lines' });
    // Comments dispatch nothing: only the hello (and maybe presence) became events.
    expect(s.frames.items.every((f) => f.event === 'hello' || f.event === 'presence')).toBe(true);
  });

  it('a WebSocket peer that answers no pings is closed; a live one stays open', async () => {
    const room = newRoom('hb-ws');
    const live = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'live' } });
    await live.join(room);
    const dead = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'dead' }, autoPong: false });
    await dead.join(room);

    await dead.waitClose(10_000);
    expect(dead.pings).toBeGreaterThanOrEqual(2);
    expect(live.isOpen).toBe(true);
    expect(live.pings).toBeGreaterThanOrEqual(2);
    const t = Date.now();
    live.send({ type: 'ping', t });
    expect(await live.next((f) => f.type === 'pong')).toMatchObject({ t });
  });
});
