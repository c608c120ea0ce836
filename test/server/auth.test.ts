/**
 * Token auth: every endpoint but /healthz needs the token, as a Bearer header
 * or `?token=`; the WebSocket upgrade is refused with HTTP 401 before it happens.
 */
import { describe, expect, it } from 'vitest';
import {
  collectSse,
  expectUpgradeRefused,
  http,
  newRoom,
  openWs,
  sseUrl,
  useTestServer,
  withQuery,
  type HttpOptions,
} from '../helpers/index.js';

const TOKEN = 'sekrit';
const srv = useTestServer({ token: TOKEN });

const room = newRoom('auth');
const endpoints: Array<{ name: string; path: string; options?: HttpOptions; ok: number }> = [
  { name: 'GET /rooms', path: '/rooms', ok: 200 },
  { name: 'GET messages (poll)', path: `/rooms/${room}/messages?after=0&timeout=1`, ok: 200 },
  {
    name: 'POST messages',
    path: `/rooms/${room}/messages`,
    options: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"nick":"ann","text":"hi"}' },
    ok: 201,
  },
  { name: 'GET presence', path: `/rooms/${room}/presence`, ok: 200 },
  { name: 'GET /ping', path: '/ping?t=1', ok: 200 },
  { name: 'GET /metrics', path: '/metrics', ok: 200 },
];

const refusals: Array<{ how: string; headers?: Record<string, string>; query?: Record<string, string> }> = [
  { how: 'no token' },
  { how: 'a wrong bearer token', headers: { authorization: 'Bearer wrong!' } },
  { how: 'a prefix of the token', headers: { authorization: 'Bearer sekri' } },
  { how: 'the token plus a suffix', headers: { authorization: 'Bearer sekritt' } },
  { how: 'the token without the Bearer scheme', headers: { authorization: 'sekrit' } },
  { how: 'a wrong query token', query: { token: 'nope' } },
];

function expectUnauthorized(res: { status: number; json: unknown }): void {
  expect(res.status).toBe(401);
  expect(res.json).toEqual({ type: 'error', code: 'unauthorized', message: expect.any(String) as string });
}

describe('token auth over HTTP', () => {
  describe.each(endpoints)('$name', ({ path, options, ok }) => {
    it.each(refusals)('is refused with $how', async ({ headers, query }) => {
      const res = await http(withQuery(`${srv.url}${path}`, query), {
        ...options,
        headers: { ...options?.headers, ...headers },
      });
      expectUnauthorized(res);
    });

    it('is served with a Bearer token', async () => {
      const res = await http(`${srv.url}${path}`, { ...options, token: TOKEN });
      expect(res.status, res.text).toBe(ok);
    });

    it('is served with ?token=', async () => {
      const res = await http(withQuery(`${srv.url}${path}`, { token: TOKEN }), options);
      expect(res.status, res.text).toBe(ok);
    });
  });

  it('SSE is refused without a token and served with one', async () => {
    const denied = await collectSse(sseUrl(srv.url, room));
    expect(denied.status).toBe(401);
    expect(JSON.parse(denied.errorBody)).toMatchObject({ type: 'error', code: 'unauthorized' });
    for (const auth of [{ token: TOKEN }, { query: { token: TOKEN } }]) {
      const s = await collectSse(sseUrl(srv.url, room), auth);
      expect(s.status).toBe(200);
      expect(await s.events.next((e) => e.type === 'hello')).toMatchObject({ type: 'hello', room });
      s.close();
    }
  });

  it('/healthz needs no token', async () => {
    const res = await http(`${srv.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true });
  });

  it('nothing was posted by the refused requests', async () => {
    const res = await http(`${srv.url}/rooms/${room}/messages?after=0&timeout=1`, { token: TOKEN });
    const seqs = (res.json as { events: Array<{ type: string }> }).events.filter((e) => e.type === 'message');
    // Only the two authorised POSTs (Bearer and ?token=) were stored.
    expect(seqs).toHaveLength(2);
  });
});

describe('token auth on the WebSocket upgrade', () => {
  it.each(refusals)('is refused with HTTP 401 given $how', async ({ headers, query }) => {
    const refused = await expectUpgradeRefused(srv.wsUrl, { ...(headers && { headers }), ...(query && { query }) });
    expect(refused.status).toBe(401);
    // Extension (docs/protocol.md 8.2): the refusal has the HTTP error body.
    expect(JSON.parse(refused.body)).toMatchObject({ type: 'error', code: 'unauthorized' });
  });

  it.each([
    { how: 'a Bearer header', options: { token: TOKEN } },
    { how: '?token=', options: { query: { token: TOKEN } } },
  ])('is accepted with $how', async ({ options }) => {
    const ws = await openWs(srv.wsUrl, options);
    expect(await ws.join(newRoom('auth-ws'))).toMatchObject({ type: 'hello' });
  });
});
