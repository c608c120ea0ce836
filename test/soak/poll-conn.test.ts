/**
 * The soak's long-poll client holds one connection, as the real client does
 * (test/client/idle-connections.test.ts): poll after poll goes out on the
 * socket the previous answer came back on. A poll sent from the answer's
 * `end` handler found that socket not yet back in the agent's pool and
 * opened a second one, so 19,000 members held ~25,000 server sockets and
 * ran the server into its open-file cap. Counted through the bench's
 * counting proxy, against the real server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CountingProxy } from '../../src/bench/idle/counting-proxy.js';
import { PollConn } from '../../src/bench/soak/poll-conn.js';
import type { ConnHost, SoakConn } from '../../src/bench/soak/soak-conn.js';
import { soakText } from '../../src/bench/soak/soak-conn.js';
import { Tally } from '../../src/bench/soak/tally.js';
import {
  newCid,
  newRoom,
  newSession,
  postMessage,
  startTestServer,
  waitFor,
  type TestServer,
} from '../helpers/index.js';

describe('soak long-poll client', () => {
  let server: TestServer | undefined;
  let proxy: CountingProxy | undefined;
  let conn: SoakConn | undefined;
  afterEach(async () => {
    conn?.close();
    await proxy?.close();
    await server?.close();
  });

  it('polls on one connection: answered polls do not open new ones', async () => {
    server = await startTestServer();
    proxy = await CountingProxy.start(server.url);
    const p = proxy;
    const room = newRoom('soak');
    const drops: string[] = [];
    const poster = newSession();
    const host: ConnHost = {
      tally: new Tally(),
      room,
      anonymous: false,
      pollTimeoutS: 25,
      connectTimeoutMs: 10_000,
      silenceMs: 35_000,
      readied: () => undefined,
      dropped: (_c, code) => drops.push(code),
    };
    const { port } = new URL(p.url);
    const target = { host: '127.0.0.1', port: Number(port), localAddress: '127.0.0.2' };
    const c = new PollConn(0, `session=${newSession()}&nick=lp-0`, target, host);
    conn = c;
    c.connect();
    await waitFor(() => c.phase === 'online', { what: 'the first poll to answer with hello' });
    for (let i = 1; i <= 6; i++) {
      const sent = await postMessage(server.url, room, {
        nick: 'poster',
        session: poster,
        text: soakText(i, Date.now()),
        cid: newCid(),
      });
      expect(sent.status, sent.text).toBeLessThan(300);
      await waitFor(() => c.got === i, { what: `message ${i} to arrive` });
    }
    // Each message after the first came on a poll sent from the previous answer.
    expect(drops).toEqual([]);
    expect(p.snapshot().opened, 'connections opened by one client over six polls and more').toBe(1);
  }, 30_000);
});
