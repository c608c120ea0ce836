/**
 * The bell over a real server and real clients: a BEL byte inside a message
 * from the network reaches the terminal only as the visible escape `\x07`;
 * the client writes BEL itself, once, for a mention, and not for other
 * messages or its own.
 */
import { afterEach, expect, test } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { ChatClient } from '../../src/client/chat-client.js';
import { App } from '../../src/tui/app.js';
import { newRoom, postMessage, useTestServer, waitFor } from '../helpers/index.js';
import { FakeClient } from './fake-client.js';
import { mount } from './harness.js';
import { stripSgr } from './sgr.js';

const srv = useTestServer();
const clients: ChatClient[] = [];
afterEach(async () => {
  cleanup();
  await Promise.all(clients.map((c) => c.stop()));
  clients.length = 0;
});

test('a network BEL stays text; the client rings once for a mention, never for others or its own', async () => {
  const room = newRoom();
  const ann = new ChatClient({ servers: [srv.url], room, nick: 'ann', via: 'ws' });
  const bob = new ChatClient({ servers: [srv.url], room, nick: 'bob', via: 'sse' });
  clients.push(ann, bob);
  const bells: string[] = [];
  const ui = render(<App client={ann} server={srv.url} onQuit={() => undefined} alertOut={(b) => bells.push(b)} />);
  await Promise.all([ann.start(), bob.start()]);
  const frame = (): string => stripSgr(ui.lastFrame() ?? '');
  await waitFor(() => frame().includes('● online'), { what: 'online' });

  // The server refuses a BEL in a text outright; a hostile server's BEL is the FakeClient test below.
  const refused = await postMessage(srv.url, room, { nick: 'eve', text: 'ding\x07dong', cid: 'eve-1' });
  expect(refused.status).toBe(400);
  ui.stdin.write('my own ann line\r');
  await waitFor(() => /» ann: my own ann line/.test(frame()), { what: 'the own line' });
  await bob.whenAcked(bob.send('ann: are you there?').cid);
  await waitFor(() => frame().includes('bob: ann: are you there?'), { what: 'the mention' });
  await waitFor(() => bells.length === 1, { what: 'the bell' });
  await bob.whenAcked(bob.send('plain line').cid);
  await waitFor(() => frame().includes('bob: plain line'), { what: 'a plain line' });

  expect(bells).toEqual(['\x07']);
  expect(ui.frames.filter((f) => f.includes('\x07'))).toEqual([]);
});

test('a BEL in a text or nick from a server that lets it through is drawn as \\x07 and rings nothing', async () => {
  const client = new FakeClient({ rooms: ['lobby'] });
  const bells: string[] = [];
  const ui = mount({ client, alertOut: (b) => bells.push(b) });
  client.deliver({ seq: 1, nick: 'ev\x07e', text: 'ding\x07dong\x1b]777;notify;x;y\x07' });
  await ui.until((f) => f.includes('ding\\x07dong'), 'the escaped text');
  expect(ui.frame()).toContain('ev\\x07e');
  expect(ui.frames().filter((f) => f.includes('\x07') || f.includes('\x1b]'))).toEqual([]);
  expect(bells).toEqual([]);
});
