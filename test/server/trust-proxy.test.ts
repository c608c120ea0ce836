/**
 * The client address behind a trusted proxy: anonymous send budgets and
 * per-address connection limits follow the address the proxy reports, and
 * only when the TCP peer is a trusted proxy. Clients are told apart by their
 * loopback source address (127.0.0.2, 127.0.0.3); the "proxy" is 127.0.0.1.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  agentFrom,
  collectSse,
  expectUpgradeRefused,
  newRoom,
  openWs,
  poll,
  postMessage,
  sseUrl,
  useTestServer,
  waitFor,
  type HttpResult,
} from '../helpers/index.js';

const BUDGET = { rateLimit: { burst: 3, perSecond: 0.01 } };

async function heldPolls(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^rtchat_connections\{transport="longpoll"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

/** `n` anonymous sends, one after another; their statuses. */
async function anonSends(
  url: string,
  room: string,
  n: number,
  options: { xff?: string; from?: string } = {},
): Promise<number[]> {
  const statuses: number[] = [];
  const dispatcher = options.from === undefined ? undefined : agentFrom(options.from);
  for (let i = 0; i < n; i++) {
    const res: HttpResult = await postMessage(
      url,
      room,
      { nick: 'anon', text: `t${i}` },
      {
        ...(options.xff !== undefined && { headers: { 'x-forwarded-for': options.xff } }),
        ...(dispatcher && { dispatcher }),
      },
    );
    statuses.push(res.status);
  }
  return statuses;
}

describe('without --trust-proxy', () => {
  const srv = useTestServer(BUDGET);

  it('X-Forwarded-For is ignored: one peer is one client', async () => {
    const room = newRoom('tp-none');
    expect(await anonSends(srv.url, room, 3, { xff: '203.0.113.1' })).toEqual([201, 201, 201]);
    expect(await anonSends(srv.url, room, 1, { xff: '203.0.113.2' })).toEqual([429]);
  });
});

describe('with --trust-proxy 127.0.0.1', () => {
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString('utf8'));
        cb();
      },
    }),
  );
  const srv = useTestServer({ ...BUDGET, trustProxy: ['127.0.0.1'], logger, limits: { maxConnectionsPerIp: 1 } });

  it('each forwarded client has its own anonymous budget, and the logs name it', async () => {
    const room = newRoom('tp-budget');
    expect(await anonSends(srv.url, room, 4, { xff: '203.0.113.1' })).toEqual([201, 201, 201, 429]);
    expect(await anonSends(srv.url, room, 3, { xff: '203.0.113.2' })).toEqual([201, 201, 201]);
    // A client-sent entry left of the proxy's is not the client.
    expect(await anonSends(srv.url, room, 1, { xff: '198.51.100.1, 203.0.113.1' })).toEqual([429]);
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; address?: string; code?: string });
    const refused = logged.filter((l) => l.msg === 'request refused');
    expect(refused.map((l) => [l.address, l.code])).toContainEqual(['203.0.113.1', 'rate_limited']);
  });

  it('a client that is not a trusted proxy gains nothing by sending the header', async () => {
    const room = newRoom('tp-spoof');
    expect(await anonSends(srv.url, room, 3, { from: '127.0.0.2', xff: '203.0.113.50' })).toEqual([201, 201, 201]);
    expect(await anonSends(srv.url, room, 1, { from: '127.0.0.2', xff: '203.0.113.51' })).toEqual([429]);
    expect(await anonSends(srv.url, room, 1, { from: '127.0.0.2' })).toEqual([429]);
    // Another peer is another client.
    expect(await anonSends(srv.url, room, 1, { from: '127.0.0.3', xff: '203.0.113.50' })).toEqual([201]);
  });

  it('--max-connections-per-ip counts per forwarded client on SSE, WebSocket and held polls', async () => {
    const room = newRoom('tp-conns');
    const as = (ip: string): { headers: Record<string, string> } => ({ headers: { 'x-forwarded-for': ip } });
    const first = await collectSse(sseUrl(srv.url, room), as('203.0.113.10'));
    expect(first.status).toBe(200);
    expect((await collectSse(sseUrl(srv.url, room), as('203.0.113.10'))).status).toBe(429);
    const upgrade = await expectUpgradeRefused(`${srv.wsUrl}?session=tp-conns-session-0001`, as('203.0.113.10'));
    expect(upgrade.status).toBe(429);
    const other = await openWs(`${srv.wsUrl}?session=tp-conns-session-0002`, as('203.0.113.11'));
    expect(other.isOpen).toBe(true);
    const held = poll(srv.url, room, { after: 0, timeout: 20 }, as('203.0.113.12'));
    await waitFor(async () => (await heldPolls(srv.url)) === 1, { what: 'the first poll to be held' });
    expect((await poll(srv.url, room, { after: 0, timeout: 20 }, as('203.0.113.12'))).status).toBe(429);
    // A spoofing peer is limited on its own address.
    const spoofer = agentFrom('127.0.0.2');
    expect((await collectSse(sseUrl(srv.url, room), { ...as('203.0.113.99'), dispatcher: spoofer })).status).toBe(200);
    expect((await collectSse(sseUrl(srv.url, room), { ...as('203.0.113.98'), dispatcher: spoofer })).status).toBe(429);
    first.close();
    other.close();
    expect((await postMessage(srv.url, room, { nick: 'wake', text: 'up' }, as('203.0.113.13'))).status).toBe(201);
    expect((await held).status).toBe(200);
  });
});

describe('with --trust-proxy-header forwarded', () => {
  const srv = useTestServer({ ...BUDGET, trustProxy: ['127.0.0.0/8'], trustProxyHeader: 'forwarded' });

  it('reads for= from Forwarded and ignores X-Forwarded-For', async () => {
    const room = newRoom('tp-fwd');
    const send = (headers: Record<string, string>): Promise<number> =>
      postMessage(srv.url, room, { nick: 'anon', text: 'x' }, { headers }).then((r) => r.status);
    for (let i = 0; i < 3; i++) expect(await send({ forwarded: 'for="[2001:db8::1]:4711";proto=https' })).toBe(201);
    expect(await send({ forwarded: 'for=2001:db8::1', 'x-forwarded-for': '203.0.113.7' })).toBe(429);
    expect(await send({ forwarded: 'for=198.51.100.4' })).toBe(201);
  });
});
