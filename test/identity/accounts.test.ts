/**
 * Accounts on the server: a token per account, refused when wrong, rotated
 * or removed, on every endpoint and on the upgrade; a message's nick is the
 * account's name on every transport, whatever the client sent; an open
 * stream ends when its account token is rotated.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../src/client/chat-client.js';
import type { MessageEvent, ServerEvent, Via } from '../../src/protocol/index.js';
import { Accounts } from '../../src/server/identity/accounts.js';
import {
  collectSse,
  expectUpgradeRefused,
  http,
  newRoom,
  newSession,
  openWs,
  postMessage,
  sseUrl,
  useTestServer,
  waitFor,
  withQuery,
} from '../helpers/index.js';
import { endpointsOf, type Endpoint } from './endpoints.js';

const srv = useTestServer({ identity: { expiry: { tickMs: 50, recheckMs: 100 } } });
let accounts: Accounts;
let ann: string;
let bob: string;

beforeAll(async () => {
  accounts = new Accounts(srv.store.identity);
  ann = await accounts.add('ann');
  bob = await accounts.add('bob');
});

const room = newRoom('acct');
const endpoints = (): Endpoint[] => endpointsOf(room);

async function call(
  e: { path: string; method?: string; body?: string },
  auth: { token?: string; query?: string },
): Promise<number> {
  const url = auth.query === undefined ? srv.url + e.path : withQuery(srv.url + e.path, { token: auth.query });
  const ctl = new AbortController();
  const res = await http(url, {
    method: e.method ?? 'GET',
    headers: e.body === undefined ? {} : { 'content-type': 'application/json' },
    ...(e.body !== undefined && { body: e.body }),
    ...(auth.token !== undefined && { token: auth.token }),
    signal: ctl.signal,
  }).catch(() => ({ status: 200 }));
  ctl.abort();
  return res.status;
}

describe('account tokens', () => {
  it('are required on every endpoint but /healthz once accounts exist, and accepted there', async () => {
    expect((await http(`${srv.url}/healthz`)).status).toBe(200);
    for (const e of endpoints()) {
      if (e.name.endsWith('events')) continue;
      expect(await call(e, {}), e.name).toBe(401);
      expect(await call(e, { token: 'rtc1.ann.' + 'x'.repeat(43) }), e.name).toBe(401);
      expect(await call(e, { query: 'nope' }), e.name).toBe(401);
      expect(await call(e, { token: ann }), e.name).toBeLessThan(300);
      expect(await call(e, { query: ann }), e.name).toBeLessThan(300);
    }
    const denied = await collectSse(sseUrl(srv.url, room), { token: 'wrong' });
    expect(denied.status).toBe(401);
    const ok = await collectSse(sseUrl(srv.url, room), { token: ann });
    expect(ok.status).toBe(200);
    ok.close();
    expect((await expectUpgradeRefused(srv.wsUrl)).status).toBe(401);
    expect((await expectUpgradeRefused(srv.wsUrl, { token: bob + 'x' })).status).toBe(401);
    const ws = await openWs(srv.wsUrl, { token: ann });
    expect(await ws.join(newRoom())).toMatchObject({ type: 'hello' });
  });

  it('whoami names the account', async () => {
    const res = await http(`${srv.url}/auth/whoami`, { token: bob });
    expect(res.json).toEqual({ type: 'principal', kind: 'account', name: 'bob' });
  });

  it('a rotated token stops working at once, on every endpoint and the upgrade, and ends its open stream', async () => {
    const carl = await accounts.add('carl');
    const ws = await openWs(srv.wsUrl, { token: carl, query: { nick: 'carl', session: newSession() } });
    await ws.join(newRoom());
    const sse = await collectSse(sseUrl(srv.url, newRoom(), { nick: 'carl' }), { token: carl });
    expect(sse.status).toBe(200);
    const fresh = await accounts.rotate('carl');
    for (const e of endpoints()) {
      if (e.name.endsWith('events')) continue;
      expect(await call(e, { token: carl }), e.name).toBe(401);
      expect(await call(e, { token: fresh }), e.name).toBeLessThan(300);
    }
    expect((await expectUpgradeRefused(srv.wsUrl, { token: carl })).status).toBe(401);
    expect((await ws.waitClose()).code).toBe(4001);
    await sse.ended;
    expect(sse.lines.join('\n')).toContain('"code":"token_expired"');
  });

  it('a removed account is refused at once', async () => {
    const dave = await accounts.add('dave');
    expect(await call({ path: '/rooms' }, { token: dave })).toBe(200);
    await accounts.remove('dave');
    expect(await call({ path: '/rooms' }, { token: dave })).toBe(401);
    expect((await expectUpgradeRefused(srv.wsUrl, { token: dave })).status).toBe(401);
  });
});

describe('nicks are account names', () => {
  it('a POST as someone else is stored under the sender account', async () => {
    const r = newRoom('imp');
    const res = await postMessage(srv.url, r, { nick: 'bob', text: 'I am the real bob' }, { token: ann });
    expect(res.status).toBe(201);
    const poll = await http(`${srv.url}/rooms/${r}/messages?after=0&timeout=0`, { token: bob });
    const msgs = (poll.json as { events: ServerEvent[] }).events.filter((e): e is MessageEvent => e.type === 'message');
    expect(msgs.map((m) => [m.nick, m.text])).toEqual([['ann', 'I am the real bob']]);
  });

  it('a WebSocket send frame naming another nick is stored under the account', async () => {
    const r = newRoom('imp-ws');
    const ws = await openWs(srv.wsUrl, { token: ann, query: { nick: 'bob', session: newSession() } });
    await ws.join(r);
    ws.send({ type: 'send', room: r, cid: 'c1', text: 'hi', nick: 'bob' });
    const m = await ws.next<MessageEvent>((f) => f.type === 'message');
    expect(m.nick).toBe('ann');
    await waitFor(
      async () => {
        const p = await http(`${srv.url}/rooms/${r}/presence`, { token: ann });
        return (p.json as { members: Array<{ nick: string }> }).members.some((x) => x.nick === 'ann')
          ? true
          : undefined;
      },
      { what: 'ann present under her account name' },
    );
  });

  it.each(['ws', 'sse', 'longpoll'] as Via[])('a ChatClient over %s speaks as its account', async (via) => {
    const r = newRoom('acct-client');
    const client = new ChatClient({
      servers: [srv.url],
      room: r,
      nick: 'someone-else',
      via,
      token: bob,
      maxAttempts: 2,
    });
    const seen: MessageEvent[] = [];
    client.on('message', (m) => seen.push(m));
    try {
      await client.start();
      await client.whenAcked(client.send('hello').cid);
      await waitFor(() => (seen.length > 0 ? true : undefined), { what: 'own message back' });
      expect(seen[0]).toMatchObject({ nick: 'bob', text: 'hello' });
    } finally {
      await client.stop();
    }
  });

  it.each(['ws', 'sse', 'longpoll'] as Via[])(
    'a ChatClient over %s with a wrong token stops as unauthorized',
    async (via) => {
      const client = new ChatClient({
        servers: [srv.url],
        room: 'lobby',
        nick: 'x',
        via,
        token: 'rtc1.bob.' + 'y'.repeat(43),
      });
      await expect(client.start()).rejects.toMatchObject({ code: 'unauthorized' });
      await client.stop();
    },
  );
});
