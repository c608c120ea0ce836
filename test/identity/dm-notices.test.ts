/**
 * DM notices (docs/protocol.md 8.4): bob's client in another room hears
 * `{"type":"dm","room","peer":"ann"}` as soon as ann opens a DM and writes in
 * it, over every transport, one room or several; once per connection (a
 * second DM message gives no second notice); never a third account's
 * connection, nor one of bob's that has joined the DM (it gets the message).
 */
import { describe, expect, it } from 'vitest';
import { ChatClient } from '../../src/client/chat-client.js';
import { openDm } from '../../src/client/dms.js';
import type { DmNotice } from '../../src/client/types.js';
import type { MessageEvent, Via } from '../../src/protocol/index.js';
import { Accounts } from '../../src/server/identity/accounts.js';
import { longPollsHeld, newRoom, poll, postMessage, TRANSPORTS, useTestServer, waitFor } from '../helpers/index.js';

describe('DM notices', () => {
  const srv = useTestServer();
  const accounts = (): Accounts => new Accounts(srv.store.identity);
  let pair = 0;

  /** Three fresh accounts, so that every case opens a DM of its own. */
  async function threeAccounts(): Promise<Record<'ann' | 'bob' | 'eve', { name: string; token: string }>> {
    pair++;
    const make = async (who: string) => {
      const name = `${who}${pair}`;
      return { name, token: await accounts().add(name) };
    };
    return { ann: await make('ann'), bob: await make('bob'), eve: await make('eve') };
  }

  /** A started client of `token` in `rooms`, with the dm notices and messages it hears. */
  async function client(o: { token: string; nick: string; rooms: string[]; via: Via }) {
    const c = new ChatClient({
      servers: [srv.url],
      room: o.rooms[0]!,
      rooms: o.rooms,
      nick: o.nick,
      via: o.via,
      token: o.token,
    });
    const dms: DmNotice[] = [];
    const messages: MessageEvent[] = [];
    c.on('dm', (n) => dms.push(n));
    c.on('message', (m) => messages.push(m));
    await c.start();
    return { c, dms, messages };
  }

  const cases = TRANSPORTS.flatMap((via) => [
    { via, rooms: 1 },
    { via, rooms: 2 },
  ]);

  it.each(cases)(
    'over $via in $rooms room(s): once per connection, to the two accounts only',
    async ({ via, rooms }) => {
      const { ann, bob, eve } = await threeAccounts();
      const lobby = Array.from({ length: rooms }, () => newRoom('lobby'));
      const before = await longPollsHeld(srv.url, ann.token);
      const bobC = await client({ token: bob.token, nick: bob.name, rooms: lobby, via });
      const eveC = await client({ token: eve.token, nick: eve.name, rooms: lobby, via });
      try {
        // A long-poll client hears a notice only while its poll is held (the safety net covers the gaps).
        if (via === 'longpoll') {
          await waitFor(async () => (await longPollsHeld(srv.url, ann.token)) >= before + 2, { what: 'polls held' });
        }
        const dm = await openDm({ server: srv.url, token: ann.token, to: bob.name });
        const say = async (room: string, text: string): Promise<void> => {
          const res = await postMessage(srv.url, room, { nick: ann.name, text }, { token: ann.token });
          expect(res.status, res.text).toBe(201);
        };
        await say(dm.room, 'psst');
        await waitFor(() => bobC.dms.length > 0, { what: `bob's dm notice over ${via}` });
        expect(bobC.dms).toEqual([{ type: 'dm', room: dm.room, peer: ann.name }]);

        // bob's second client, in the DM already: the message itself, no notice.
        const inDm = await client({ token: bob.token, nick: bob.name, rooms: [...lobby, dm.room], via });
        try {
          await waitFor(() => inDm.messages.some((m) => m.text === 'psst'), { what: 'the DM message by joining' });
          await say(dm.room, 'again');
          // A message in bob's room written after the second DM message: once it is in, any second
          // notice would be too (one connection, in order; a held poll is answered with what comes first).
          await say(lobby[0]!, 'after the DM');
          for (const who of [bobC, eveC, inDm]) {
            await waitFor(() => who.messages.some((m) => m.text === 'after the DM'), { what: 'the lobby message' });
          }
          await waitFor(() => inDm.messages.some((m) => m.text === 'again'), { what: 'the second DM message' });
          expect(bobC.dms).toHaveLength(1);
          expect(inDm.dms).toEqual([]);
          expect(eveC.dms).toEqual([]);
          expect(bobC.messages.some((m) => m.room === dm.room)).toBe(false);
        } finally {
          await inDm.c.stop();
        }
      } finally {
        await Promise.all([bobC.c.stop(), eveC.c.stop()]);
      }
    },
  );

  it("answers a held long poll with the notice, its cursor unchanged; ann's other clients hear it too", async () => {
    const { ann, bob } = await threeAccounts();
    const lobby = newRoom('lobby');
    expect((await postMessage(srv.url, lobby, { nick: ann.name, text: 'one' }, { token: ann.token })).status).toBe(201);
    const dm = await openDm({ server: srv.url, token: ann.token, to: bob.name });
    const heldPolls = (): Promise<number> => longPollsHeld(srv.url, ann.token);
    const before = await heldPolls();
    const held = poll(srv.url, lobby, { after: 1, timeout: 20 }, { token: bob.token });
    const annHeld = poll(srv.url, lobby, { after: 1, timeout: 20 }, { token: ann.token });
    // Write once both polls are held: the server counts them as long-poll connections.
    await waitFor(async () => (await heldPolls()) >= before + 2, { what: 'two held polls' });
    expect((await postMessage(srv.url, dm.room, { nick: ann.name, text: 'hi' }, { token: ann.token })).status).toBe(
      201,
    );
    const [b, a] = await Promise.all([held, annHeld]);
    expect([b.status, b.body]).toEqual([200, { events: [{ type: 'dm', room: dm.room, peer: ann.name }], next: 1 }]);
    expect(a.body).toEqual({ events: [{ type: 'dm', room: dm.room, peer: bob.name }], next: 1 });
  });
});
