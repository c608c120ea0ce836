/**
 * Read markers and the bell as a user of an account lives them, over a real
 * server: read a room to seq 40 and leave; 10 more arrive (one mentions you);
 * the next run shows 10 unread, the "new since you left" line right after 40,
 * and rings once for the mention, not again after a reconnect; a second
 * client of the same account, started once the room was read, rings for
 * nothing. A DM rings the bell; other messages do not under `/bell mentions`.
 */
import { afterEach, beforeAll, expect, test } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { ChatClient } from '../../src/client/chat-client.js';
import { getReadMarker, markRead } from '../../src/client/read-markers.js';
import { openDm } from '../../src/client/dms.js';
import { Accounts } from '../../src/server/identity/accounts.js';
import { App } from '../../src/tui/app.js';
import { loadMarkers } from '../../src/tui/run.js';
import { httpServices } from '../../src/tui/services.js';
import { newRoom, postMessage, useTestServer, waitFor } from '../helpers/index.js';
import { stripSgr } from './sgr.js';

const srv = useTestServer();
const tokens: Record<string, string> = {};
const clients: ChatClient[] = [];

beforeAll(async () => {
  const accounts = new Accounts(srv.store.identity);
  for (const name of ['ann', 'bob']) tokens[name] = await accounts.add(name);
});

afterEach(async () => {
  cleanup();
  await Promise.all(clients.map((c) => c.stop()));
  clients.length = 0;
});

async function annSays(room: string, text: string): Promise<void> {
  expect((await postMessage(srv.url, room, { nick: 'ann', text }, { token: tokens.ann })).status).toBe(201);
}

/** bob's terminal client in `rooms` (the first shown), as run.tsx builds it. */
async function bobRuns(rooms: string[], via: 'ws' | 'sse' | 'longpoll') {
  const token = tokens.bob ?? '';
  const client = new ChatClient({ servers: [srv.url], room: rooms[0] ?? '', rooms, nick: 'bob', via, token });
  clients.push(client);
  const services = httpServices({ server: () => srv.url, markerServer: srv.url, token });
  const markers = await loadMarkers(services, rooms);
  const bells: string[] = [];
  const ui = render(
    <App
      client={client}
      services={services}
      rooms={markers}
      server={srv.url}
      onQuit={() => undefined}
      alertOut={(b) => bells.push(b)}
    />,
  );
  await client.start();
  const frame = (): string => stripSgr(ui.lastFrame() ?? '');
  await waitFor(() => frame().includes('● online'), { what: 'online' });
  return { client, ui, bells, frame };
}

test('read to 40, leave, 10 more: 10 unread, the line after 40, one bell, not again; elsewhere none', async () => {
  const [room, side] = [newRoom('rm'), newRoom('side')];
  for (let i = 1; i <= 40; i++) await annSays(room, `old ${i}`);

  // Run 1: bob reads the room to its end; the marker reaches the server (debounced).
  const first = await bobRuns([room], 'ws');
  await waitFor(() => first.frame().includes('ann: old 40'), { what: 'message 40 on screen' });
  await waitFor(async () => (await getReadMarker({ server: srv.url, token: tokens.bob, room })).seq === 40, {
    what: 'the marker at 40',
  });
  expect(first.bells).toEqual([]);
  cleanup();
  await first.client.stop();

  for (let i = 41; i <= 50; i++) await annSays(room, i === 45 ? `bob: look at ${i}` : `new ${i}`);

  // Run 2, the room in the background: 10 unread, one a mention, one bell.
  const second = await bobRuns([side, room], 'sse');
  await waitFor(() => second.frame().includes(`#${room} 10!`), { what: 'ten unread with a mention' });
  await waitFor(() => second.bells.length === 1, { what: 'the bell for the mention' });
  // A reconnect over another transport replays nothing that rings.
  await second.client.switchVia('longpoll');
  await annSays(side, 'after the switch');
  await waitFor(() => second.frame().includes('ann: after the switch'), { what: 'a line after the switch' });
  expect(second.bells).toEqual(['\x07']);

  // Viewing the room: the line sits right after 40, then the room's marker moves to 50.
  second.ui.stdin.write('\x1b2');
  await waitFor(() => second.frame().includes('new since you left'), { what: 'the marker line' });
  const screen = second.frame();
  const at = (s: string): number => screen.indexOf(s);
  expect(at('ann: old 40')).toBeLessThan(at('new since you left'));
  expect(at('new since you left')).toBeLessThan(at('ann: new 41'));
  await waitFor(async () => (await getReadMarker({ server: srv.url, token: tokens.bob, room })).seq === 50, {
    what: 'the marker at 50',
  });

  // Another machine of the same account: nothing unread there, nothing rings.
  const third = await bobRuns([side, room], 'longpoll');
  await waitFor(() => third.frame().includes('ann: after the switch'), { what: 'the side room' });
  expect(third.frame()).not.toContain(`#${room} 1`);
  expect(third.bells).toEqual([]);
}, 60_000);

test('a DM rings the bell; a plain message in a room does not (/bell mentions)', async () => {
  const room = newRoom('plain');
  const dm = await openDm({ server: srv.url, token: tokens.ann, to: 'bob' });
  // The DM is found at start (GET /dms), not named on the command line.
  const bob = await bobRuns([room], 'ws');
  await waitFor(() => bob.frame().includes('2 @ann'), { what: 'the DM in the room list' });
  await annSays(room, 'nothing to see here');
  await waitFor(() => bob.frame().includes('ann: nothing to see here'), { what: 'the plain line' });
  expect(bob.bells).toEqual([]);
  await annSays(dm.room, 'psst');
  await waitFor(() => bob.frame().includes('2 @ann 1!'), { what: 'the DM counted' });
  await waitFor(() => bob.bells.length === 1, { what: 'the bell for the DM' });
  expect(bob.bells).toEqual(['\x07']);
}, 30_000);

test('a room read on another machine while this client runs: its count drops at the next reconnect', async () => {
  const [room, side] = [newRoom('elsewhere'), newRoom('here')];
  await annSays(room, 'one');
  const bob = await bobRuns([side, room], 'ws');
  await annSays(room, 'two');
  await annSays(room, 'three');
  // No marker yet: all three are unread.
  await waitFor(() => bob.frame().includes(`#${room} 3`), { what: 'three unread' });
  // bob reads the room to its end on another machine.
  await markRead({ server: srv.url, token: tokens.bob, room, seq: 3 });
  await bob.client.switchVia('sse');
  const bar = (): string =>
    bob
      .frame()
      .split('\n')
      .find((l) => l.startsWith('1 #')) ?? '';
  // (A DM of the test before may stand after it in the list.)
  await waitFor(() => bar().includes(`2 #${room}`) && !new RegExp(`#${room} \\d`).test(bar()), {
    what: 'no unread left after the reconnect',
  });
  await annSays(room, 'four');
  await waitFor(() => bob.frame().includes(`#${room} 1`), { what: 'only the new one unread' });
}, 30_000);
