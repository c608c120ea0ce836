/**
 * DM notices across nodes: two real rtchat servers (in process) on one real
 * redis-server. bob's client on node B hears the `dm` notice of a message ann
 * posts to their DM on node A, over every transport: the notice rides on the
 * store's announcements, with no bus of its own.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ChatClient } from '../../src/client/chat-client.js';
import { openDm } from '../../src/client/dms.js';
import type { DmNotice } from '../../src/client/types.js';
import type { Via } from '../../src/protocol/index.js';
import { Accounts } from '../../src/server/identity/accounts.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { RedisStore } from '../../src/server/stores/redis/redis-store.js';
import { newRoom } from '../helpers/ids.js';
import { longPollsHeld, postMessage } from '../helpers/http.js';
import { TRANSPORTS } from '../helpers/receive.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { stopIfStarted } from '../helpers/started.js';
import { testLogger } from '../helpers/test-server.js';
import { closeAllClients } from '../helpers/tracker.js';
import { waitFor } from '../helpers/wait-for.js';

let redis: RedisServer;
const nodes: RunningServer[] = [];
const clients: ChatClient[] = [];

beforeAll(async () => {
  redis = await startRedisServer({ appendfsync: 'everysec' });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
  closeAllClients();
  await Promise.all(nodes.splice(0).map((n) => n.close()));
});
afterAll(async () => {
  await stopIfStarted(redis, (r) => r.cleanup());
});

it.each(TRANSPORTS as Via[])('bob on node B hears of a DM message posted on node A (%s)', async (via) => {
  const prefix = `dmn${randomBytes(4).toString('hex')}:`;
  const start = (): Promise<RunningServer> =>
    startServer({
      host: '127.0.0.1',
      port: 0,
      store: new RedisStore({ url: redis.url, prefix }),
      logger: testLogger(),
    });
  const [a, b] = await Promise.all([start(), start()]);
  nodes.push(a, b);
  const accounts = new Accounts(a.store.identity);
  const annToken = await accounts.add('ann');
  const bobToken = await accounts.add('bob');
  const lobby = newRoom('lobby');
  const bob = new ChatClient({ servers: [b.url], room: lobby, nick: 'bob', via, token: bobToken });
  clients.push(bob);
  const dms: DmNotice[] = [];
  bob.on('dm', (d) => dms.push(d));
  await bob.start();
  // A long-poll client hears a notice only while its poll is held (the safety net covers the gaps).
  if (via === 'longpoll') await waitFor(async () => (await longPollsHeld(b.url, bobToken)) >= 1, { what: 'held' });

  const dm = await openDm({ server: a.url, token: annToken, to: 'bob' });
  const res = await postMessage(a.url, dm.room, { nick: 'ann', text: 'psst' }, { token: annToken });
  expect(res.status, res.text).toBe(201);
  await waitFor(() => dms.length > 0, { what: `the notice on node B over ${via}` });
  expect(dms).toEqual([{ type: 'dm', room: dm.room, peer: 'ann' }]);
});
