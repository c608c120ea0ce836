/**
 * Several rooms on screen: the room list with unread counts and mention
 * marks, switching by Alt+N, Ctrl+N/P and /switch, /join adding a room,
 * /part, /msg opening a DM, and the bell written once for a mention.
 */
import './force-color.js';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { MessageEvent } from '../../src/protocol/index.js';
import { memoryServices, type TuiServices } from '../../src/tui/services.js';
import { waitFor } from '../helpers/wait-for.js';
import { FakeClient } from './fake-client.js';
import { KEYS, mount, type Mounted } from './harness.js';

afterEach(() => cleanup());

const roomBar = (f: string): string => f.split('\n').find((l) => l.startsWith('1 #')) ?? '';

function say(client: FakeClient, room: string, seq: number, nick: string, text: string): void {
  const message: MessageEvent = { type: 'message', room, seq, nick, cid: `${room}${seq}`, text, ts: Date.now() };
  client.emit('message', message, { own: false });
}

async function enter(ui: Mounted, line: string): Promise<void> {
  await ui.type(line);
  await ui.type(KEYS.enter);
}

describe('several rooms', () => {
  test('the room list shows unread counts and mentions; Alt+N, Ctrl+N/P and /switch switch', async () => {
    const client = new FakeClient({ rooms: ['lobby', 'ops', 'dev'] });
    const bells: string[] = [];
    const ui = mount({ client, alertOut: (b) => bells.push(b) });
    await ui.until((f) => roomBar(f) === '1 #lobby │ 2 #ops │ 3 #dev', 'the room list');
    say(client, 'ops', 1, 'bob', 'deploy done');
    say(client, 'ops', 2, 'cy', 'ann: can you check?');
    say(client, 'dev', 7, 'bob', 'build green');
    say(client, 'lobby', 1, 'bob', 'hi all');
    await ui.until((f) => roomBar(f) === '1 #lobby │ 2 #ops 2! │ 3 #dev 1', 'the counts');
    await ui.until((f) => f.includes('bob: hi all') && !f.includes('deploy done'), 'only the lobby shown');
    expect(bells).toEqual(['\x07']);

    await ui.type('\x1b2'); // Alt+2
    await ui.until((f) => f.includes('cy: ann: can you check?') && f.includes('#ops> '), 'ops shown');
    await ui.until((f) => roomBar(f) === '1 #lobby │ 2 #ops │ 3 #dev 1', 'ops read');
    expect(client.room).toBe('ops');
    await ui.type('\x0e'); // Ctrl+N
    await ui.until((f) => f.includes('bob: build green') && f.includes('#dev> '), 'dev shown');
    await ui.type('\x0e');
    await ui.until((f) => f.includes('#lobby> ') && f.includes('bob: hi all'), 'around to the lobby');
    await ui.type('\x10'); // Ctrl+P
    await ui.until((f) => f.includes('#dev> '), 'back to dev');
    await enter(ui, '/switch #ops');
    await ui.until((f) => f.includes('#ops> '), '/switch');
    await enter(ui, 'hello ops');
    await waitFor(() => client.sent.length === 1, { what: 'a send' });
    expect(client.sent.map((m) => `${m.room}:${m.text}`)).toEqual(['ops:hello ops']);
    await enter(ui, '/switch nowhere');
    await ui.until((f) => f.includes('not in nowhere'), 'an unknown room');
  });

  test('/join adds a room and switches to it; /part leaves it; the last room stays', async () => {
    const client = new FakeClient();
    const ui = mount({ client });
    await ui.until((f) => f.includes('#lobby> '), 'the lobby');
    expect(roomBar(ui.frame())).toBe('');
    await enter(ui, '/join ops');
    await ui.until((f) => roomBar(f) === '1 #lobby │ 2 #ops' && f.includes('joining #ops'), 'two rooms');
    await waitFor(() => client.rooms.join() === 'lobby,ops', { what: 'the client in both rooms' });
    await enter(ui, '/part');
    await ui.until((f) => f.includes('#lobby> ') && roomBar(f) === '', 'back to one room');
    await waitFor(() => client.calls.includes('remove:ops'), { what: 'the client left ops' });
    await enter(ui, '/part');
    await ui.until((f) => f.includes('#lobby is your only room: /quit leaves'), 'the last room stays');
  });

  test('/msg opens the DM, lists it as @peer, switches to it and sends there', async () => {
    const client = new FakeClient();
    const services: TuiServices = {
      ...memoryServices(),
      openDm: async (peer) => ({ room: 'dm-0123456789abcdef01234567', peer }),
    };
    const ui = mount({ client, services });
    await enter(ui, '/msg bob are you there?');
    await ui.until((f) => roomBar(f) === '1 #lobby │ 2 @bob', 'the DM in the list');
    await waitFor(() => client.sent.length === 1, { what: 'the DM sent' });
    expect(client.sent.map((m) => `${m.room}:${m.text}`)).toEqual(['dm-0123456789abcdef01234567:are you there?']);
    await ui.until((f) => f.includes('are you there? (sending…)'), 'pending in the DM');
  });

  test('/part of a DM says @peer, never the dm-… room name', async () => {
    const client = new FakeClient();
    const services: TuiServices = {
      ...memoryServices(),
      openDm: async (peer) => ({ room: 'dm-0123456789abcdef01234567', peer }),
    };
    const ui = mount({ client, services });
    await enter(ui, '/msg bob hi');
    await ui.until((f) => f.includes('@bob> '), 'the DM shown');
    await enter(ui, '/part');
    await ui.until((f) => f.includes('left @bob') && f.includes('#lobby> '), 'the DM left');
    await waitFor(() => client.calls.includes('remove:dm-0123456789abcdef01234567'), { what: 'the client left it' });
    expect(ui.frame()).not.toContain('dm-0123');
  });

  test('/who and /search in a DM title their panel @peer', async () => {
    const client = new FakeClient();
    const services: TuiServices = {
      ...memoryServices(),
      openDm: async (peer) => ({ room: 'dm-0123456789abcdef01234567', peer }),
      search: async () => ({ results: [], more: false }),
    };
    const ui = mount({ client, services });
    await enter(ui, '/msg bob hi');
    await ui.until((f) => f.includes('@bob> '), 'the DM shown');
    await enter(ui, '/who');
    await ui.until((f) => f.includes('@bob: presence not known yet') || f.includes('@bob: 1 online'), '/who of @bob');
    await enter(ui, '/who');
    await enter(ui, '/search lunch');
    await ui.until((f) => f.includes('Search @bob for "lunch"'), '/search of @bob');
    expect(ui.frame()).not.toContain('dm-0123');
  });

  test('/bell off silences mentions; /bell all rings for any message; own messages never', async () => {
    const client = new FakeClient({ rooms: ['lobby', 'ops'] });
    const bells: string[] = [];
    const ui = mount({ client, alertOut: (b) => bells.push(b) });
    await enter(ui, '/bell off');
    await ui.until((f) => f.includes('bell off'), 'bell off');
    say(client, 'ops', 1, 'bob', 'ann?');
    await ui.until((f) => roomBar(f).includes('#ops 1!'), 'the mention counted');
    await enter(ui, '/bell all');
    await ui.until((f) => f.includes('bell on every message'), 'bell all');
    client.emit(
      'message',
      { type: 'message', room: 'ops', seq: 2, nick: 'ann', cid: 'c', text: 'me', ts: 1 },
      { own: true },
    );
    say(client, 'ops', 3, 'bob', 'plain');
    await ui.until((f) => roomBar(f).includes('#ops 2!'), 'the next one counted');
    expect(bells).toEqual(['\x07']);
  });
});
