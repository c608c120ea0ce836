/**
 * What an idle client keeps open: a long-poll client polls on one
 * connection of its own, poll after poll, instead of opening a new one for
 * each poll (a handshake, a close and a radio wake-up every poll period).
 * Counted through the bench's counting proxy, against the real server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CountingProxy } from '../../src/bench/idle/counting-proxy.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/index.js';
import { FAST, Tracked } from './support.js';

describe('idle long polling', () => {
  const t = new Tracked();
  let server: TestServer | undefined;
  let proxy: CountingProxy | undefined;
  afterEach(async () => {
    await t.stopAll();
    await proxy?.close();
    await server?.close();
  });

  it('polls on one connection: polls held longer than the keep-alive do not open new ones', async () => {
    server = await startTestServer();
    proxy = await CountingProxy.start(server.url);
    const p = proxy;
    // Polls held 4 s, past the 3 s an idle pooled socket lives: a new socket per poll would show.
    const c = t.client({ servers: [p.url], room: 'idle', nick: 'ann', via: 'longpoll', pollTimeoutS: 4, ...FAST });
    await c.start();
    // Answers: the open check's ping, the first RTT ping, the first poll (hello), then held polls.
    await waitFor(() => p.snapshot().readsDown >= 4, { timeoutMs: 30_000, what: 'the first held poll to come back' });
    const opened = p.snapshot().opened;
    await waitFor(() => p.snapshot().readsDown >= 7, { timeoutMs: 30_000, what: 'three more held polls to come back' });
    expect(p.snapshot().opened, 'connections opened by three more polls').toBe(opened);
  }, 40_000);
});
