/**
 * Nick ownership: without accounts a nick held by a present session cannot
 * be taken by another (409 nick_taken) on any transport; with accounts and
 * --guests a guest is `~nick`, can never take an account's name, nor a
 * present guest's nick.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { MessageEvent, PresenceEvent } from '../../src/protocol/index.js';
import { Accounts } from '../../src/server/identity/accounts.js';
import { collectSse, newRoom, newSession, openWs, poll, postMessage, sseUrl, useTestServer } from '../helpers/index.js';

describe('without accounts', () => {
  const srv = useTestServer();

  it('a present session keeps its nick: POST, WS join and send, SSE, long poll by another get nick_taken', async () => {
    const room = newRoom('nick');
    const bob = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'bob' } });
    await bob.join(room);

    const post = await postMessage(srv.url, room, { nick: 'bob', session: newSession(), text: 'I am the real bob' });
    expect(post.status).toBe(409);
    expect(post.json).toMatchObject({ code: 'nick_taken' });
    // Case and width do not make another nick.
    expect((await postMessage(srv.url, room, { nick: 'BOB', text: 'x' })).status).toBe(409);

    const ann = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'bob' } });
    ann.send({ type: 'join', room });
    expect(await ann.next((f) => f.type === 'error')).toMatchObject({ code: 'nick_taken', room });
    const annAsAnn = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'ann' } });
    await annAsAnn.join(room);
    annAsAnn.send({ type: 'send', room, cid: 'c1', text: 'hi', nick: 'bob' });
    expect(await annAsAnn.next((f) => f.type === 'error')).toMatchObject({ code: 'nick_taken', cid: 'c1' });

    const sse = await collectSse(sseUrl(srv.url, room, { session: newSession(), nick: 'bob' }));
    expect(sse.status).toBe(409);
    expect(JSON.parse(sse.errorBody)).toMatchObject({ code: 'nick_taken' });
    const lp = await poll(srv.url, room, { session: newSession(), nick: 'bob', timeout: 0 });
    expect(lp.status).toBe(409);

    // Nicks nobody holds are free; once bob leaves, his is too.
    const free = await postMessage(srv.url, room, { nick: 'dan', session: newSession(), text: 'ok' });
    expect(free.status).toBe(201);
    bob.close();
    await bob.waitClose();
    const later = await postMessage(srv.url, room, { nick: 'bob', session: newSession(), text: 'now free' });
    expect(later.status).toBe(201);
  });

  it('the nick is held per room: another room is free', async () => {
    const a = newRoom('nick-a');
    const bob = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'carol' } });
    await bob.join(a);
    expect((await postMessage(srv.url, newRoom('nick-b'), { nick: 'carol', text: 'x' })).status).toBe(201);
  });
});

describe('with accounts and --guests', () => {
  const srv = useTestServer({ guests: true });
  let ann: string;
  beforeAll(async () => {
    ann = await new Accounts(srv.store.identity).add('ann');
  });

  it("a guest speaks as ~nick and cannot take an account's name on any transport", async () => {
    const room = newRoom('guest');
    const ok = await postMessage(srv.url, room, { nick: 'zed', session: newSession(), text: 'hi' });
    expect(ok.status).toBe(201);
    const events = (await poll(srv.url, room, { after: 0, timeout: 0 })).body.events;
    expect(events.filter((e): e is MessageEvent => e.type === 'message').map((m) => m.nick)).toEqual(['~zed']);

    for (const nick of ['ann', '~ann', 'Ann']) {
      const post = await postMessage(srv.url, room, { nick, text: 'I am ann' });
      expect(post.status, nick).toBe(409);
      expect(post.json).toMatchObject({ code: 'nick_taken' });
    }
    const refused = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'ann' } }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 409 });
    const sse = await collectSse(sseUrl(srv.url, room, { nick: 'ann' }));
    expect(sse.status).toBe(409);
    expect((await poll(srv.url, room, { nick: 'ann', timeout: 0 })).status).toBe(409);
    // ann herself, with her token, is ann.
    expect((await postMessage(srv.url, room, { nick: 'whoever', text: 'me' }, { token: ann })).status).toBe(201);
  });

  it("a guest cannot take a present guest's nick", async () => {
    const room = newRoom('guest2');
    const first = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'kim' } });
    await first.join(room);
    const second = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'kim' } });
    second.send({ type: 'join', room });
    expect(await second.next((f) => f.type === 'error')).toMatchObject({ code: 'nick_taken', room });
    expect((await postMessage(srv.url, room, { nick: '~kim', session: newSession(), text: 'x' })).status).toBe(409);
  });

  it('presence shows accounts by name and guests as ~nick', async () => {
    const room = newRoom('guest3');
    const g = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'lee' } });
    await g.join(room);
    const a = await openWs(srv.wsUrl, { token: ann, query: { session: newSession(), nick: 'x' } });
    await a.join(room);
    const p = await a.next<PresenceEvent>((f) => f.type === 'presence' && f.members.length === 2);
    expect(p.members.map((m) => m.nick).sort()).toEqual(['ann', '~lee']);
  });
});
