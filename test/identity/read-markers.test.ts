/**
 * Read markers kept by the server per account: read a room to seq 40, leave,
 * 10 more arrive; on return the marker sits at 40 and 10 are unread, the same
 * from a second client of the account holding another credential (a JWT for
 * the same account). Markers never go back; a seq past the head counts as
 * the head; a marker of a stale epoch changes nothing. The errors.
 */
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../src/client/chat-client.js';
import { openDm } from '../../src/client/dms.js';
import { getReadMarker, getUnread, markRead } from '../../src/client/read-markers.js';
import type { MessageEvent } from '../../src/protocol/index.js';
import { Accounts } from '../../src/server/identity/accounts.js';
import { http, newRoom, postMany, useTestServer, waitFor } from '../helpers/index.js';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!';

function jwtFor(sub: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET));
}

function postRead(base: string, room: string, body: unknown, token?: string, type = 'application/json') {
  return http(`${base}/rooms/${room}/read`, {
    method: 'POST',
    headers: { 'content-type': type },
    body: JSON.stringify(body),
    ...(token !== undefined && { token }),
  });
}

describe('read markers of an account', () => {
  const srv = useTestServer({ jwt: { secret: SECRET } });
  let ann: string;
  let bob: string;
  beforeAll(async () => {
    const accounts = new Accounts(srv.store.identity);
    ann = await accounts.add('ann');
    bob = await accounts.add('bob');
  });

  it('read to 40, 10 more while away: the marker sits at 40 and 10 are unread, from a second client too', async () => {
    const room = newRoom('mark');
    await postMany(srv.url, room, 40, { token: bob });
    const first = new ChatClient({ servers: [srv.url], room, nick: 'ann', via: 'ws', token: ann });
    const seen: MessageEvent[] = [];
    first.on('message', (m) => seen.push(m));
    await first.start();
    await waitFor(() => seen.length === 40 || undefined, { what: '40 messages of history' });
    const marked = await markRead({ server: srv.url, token: ann, room, seq: 40, epoch: first.cursor.epoch });
    expect(marked).toEqual({ seq: 40, epoch: first.cursor.epoch });
    await first.stop();

    await postMany(srv.url, room, 10, { token: bob });

    // Another credential of the same account (a JWT), another client, another transport.
    const other = await jwtFor('ann');
    const second = new ChatClient({ servers: [srv.url], room, nick: 'ann', via: 'sse', token: other });
    await second.start();
    try {
      for (const token of [ann, other]) {
        expect(await getReadMarker({ server: srv.url, token, room })).toEqual({ seq: 40, epoch: second.cursor.epoch });
        const unread = (await getUnread({ server: srv.url, token })).find((u) => u.room === room);
        expect(unread).toEqual({ room, head: 50, read: 40, unread: 10, epoch: second.cursor.epoch, dm: false });
      }
    } finally {
      await second.stop();
    }
  });

  it('never goes back; a seq past the head is the head; a stale epoch changes nothing', async () => {
    const room = newRoom('mono');
    await postMany(srv.url, room, 20, { token: bob });
    const a = { server: srv.url, token: ann, room };
    const { epoch } = await markRead({ ...a, seq: 15 });
    expect(epoch).toMatch(/^[0-9a-f]{16}$/);
    expect(await markRead({ ...a, seq: 3 })).toEqual({ seq: 15, epoch });
    expect(await markRead({ ...a, seq: 3, epoch })).toEqual({ seq: 15, epoch });
    // A client still on a log that started over cannot move the marker.
    expect(await markRead({ ...a, seq: 19, epoch: 'ffffffffffffffff' })).toEqual({ seq: 15, epoch });
    expect(await markRead({ ...a, seq: 1_000_000 })).toEqual({ seq: 20, epoch });
    expect(await getReadMarker(a)).toEqual({ seq: 20, epoch });
    // Concurrent writers of one account (two machines): the highest wins.
    await postMany(srv.url, room, 3, { token: bob });
    await Promise.all([21, 23, 22, 4].map((seq) => markRead({ ...a, seq })));
    expect(await getReadMarker(a)).toEqual({ seq: 23, epoch });
  });

  it('counts a DM never read as all unread, with its peer', async () => {
    const { room } = await openDm({ server: srv.url, token: bob, to: 'ann' });
    await postMany(srv.url, room, 3, { token: bob });
    const dm = (await getUnread({ server: srv.url, token: ann })).find((u) => u.room === room);
    expect(dm).toMatchObject({ room, head: 3, read: 0, unread: 3, dm: true, peer: 'bob' });
    await markRead({ server: srv.url, token: ann, room, seq: 3 });
    expect((await getUnread({ server: srv.url, token: ann })).find((u) => u.room === room)).toMatchObject({
      unread: 0,
      read: 3,
    });
  });

  it('refuses bad input with 400/415/405 and rooms the account cannot see with 404', async () => {
    const room = newRoom('bad');
    for (const body of [{}, { seq: -1 }, { seq: 'x' }, { seq: 1.5 }, { seq: 1, epoch: 5 }, [1], 'seq']) {
      const res = await postRead(srv.url, room, body, ann);
      expect([res.status, (res.json as { code: string }).code], JSON.stringify(body)).toEqual([400, 'bad_request']);
    }
    expect((await postRead(srv.url, room, { seq: 1 }, ann, 'text/plain')).status).toBe(415);
    expect((await http(`${srv.url}/rooms/${room}/read`, { method: 'PUT', token: ann })).status).toBe(405);
    expect((await http(`${srv.url}/unread`, { method: 'POST', token: ann })).status).toBe(405);
    expect((await postRead(srv.url, 'Bad!', { seq: 1 }, ann)).status).toBe(400);
    const ops = newRoom('ops');
    await srv.store.identity.putRoomAccess({ room: ops, members: ['bob'] });
    const hidden = await postRead(srv.url, ops, { seq: 1 }, ann);
    expect([hidden.status, (hidden.json as { code: string }).code]).toEqual([404, 'not_found']);
    // A marker in a room that turned private to others drops out of ann's unread list.
    const was = newRoom('was-open');
    await postMany(srv.url, was, 2, { token: bob });
    await markRead({ server: srv.url, token: ann, room: was, seq: 1 });
    expect((await getUnread({ server: srv.url, token: ann })).map((u) => u.room)).toContain(was);
    await srv.store.identity.putRoomAccess({ room: was, members: ['bob'] });
    expect((await getUnread({ server: srv.url, token: ann })).map((u) => u.room)).not.toContain(was);
  });
});

describe('read markers without an account', () => {
  const guests = useTestServer({ guests: true });
  beforeAll(async () => {
    await new Accounts(guests.store.identity).add('bob');
  });

  it('are 403 forbidden for a guest (the client keeps them itself)', async () => {
    const room = newRoom('guest');
    const res = await postRead(guests.url, room, { seq: 1 });
    expect([res.status, (res.json as { code: string }).code]).toEqual([403, 'forbidden']);
    expect((await http(`${guests.url}/rooms/${room}/read`)).status).toBe(403);
    expect((await http(`${guests.url}/unread`)).status).toBe(403);
    await expect(getUnread({ server: guests.url })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
