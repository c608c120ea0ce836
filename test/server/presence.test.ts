/**
 * Presence: the full member list, one entry per session, the right `via`, a
 * version that only grows, and no session id anywhere on the wire.
 */
import { describe, expect, it } from 'vitest';
import type { PresenceEvent } from '../../src/protocol/index.js';
import {
  collectSse,
  getJson,
  http,
  newCid,
  newRoom,
  newSession,
  openWs,
  poll,
  postMessage,
  presenceOf,
  sseUrl,
  useTestServer,
  waitFor,
} from '../helpers/index.js';

const srv = useTestServer();

function summary(p: PresenceEvent): string[] {
  return p.members.map((m) => `${m.nick}/${m.via}`).sort();
}

async function untilMembers(room: string, expected: string[]): Promise<PresenceEvent> {
  return waitFor(
    async () => {
      const p = await presenceOf(srv.url, room);
      expect(summary(p)).toEqual([...expected].sort());
      return p;
    },
    { what: `members ${expected.join(', ')}` },
  );
}

describe('presence', () => {
  it('lists one member per session with the transport it uses', async () => {
    const room = newRoom('pres');
    const ws = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'wanda' } });
    await ws.join(room);
    const sse = await collectSse(sseUrl(srv.url, room, { session: newSession(), nick: 'sid' }));
    await sse.events.next((e) => e.type === 'hello');
    expect((await poll(srv.url, room, { after: 0, session: newSession(), nick: 'lola', timeout: 1 })).status).toBe(200);
    const p = await untilMembers(room, ['lola/longpoll', 'sid/sse', 'wanda/ws']);
    expect(p).toMatchObject({ type: 'presence', room });
    for (const m of p.members) {
      expect(Object.keys(m).sort()).toEqual(['nick', 'since', 'via']);
      expect(typeof m.since).toBe('number');
    }
  });

  it('two connections of one session are one entry; another session cannot take the nick (nick_taken)', async () => {
    const room = newRoom('pres-sessions');
    const session = newSession();
    const a = await openWs(srv.wsUrl, { query: { session, nick: 'ann' } });
    const b = await openWs(srv.wsUrl, { query: { session, nick: 'ann' } });
    await a.join(room);
    await b.join(room);
    await untilMembers(room, ['ann/ws']);
    const other = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'ann' } });
    other.send({ type: 'join', room });
    expect(await other.next((f) => f.type === 'error')).toMatchObject({ code: 'nick_taken', room });
    await untilMembers(room, ['ann/ws']);
  });

  it('the version grows on every change, and subscribers get presence events', async () => {
    const room = newRoom('pres-version');
    const watcher = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'watcher' } });
    await watcher.join(room);
    const v1 = (await untilMembers(room, ['watcher/ws'])).version;

    const joiner = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'joiner' } });
    await joiner.join(room);
    const v2 = (await untilMembers(room, ['joiner/ws', 'watcher/ws'])).version;
    expect(v2).toBeGreaterThan(v1);
    const pushed = await watcher.next<PresenceEvent>(
      (f) => f.type === 'presence' && f.members.some((m) => m.nick === 'joiner'),
    );
    expect(pushed.version).toBeGreaterThan(v1);

    joiner.close();
    const v3 = (await untilMembers(room, ['watcher/ws'])).version;
    expect(v3).toBeGreaterThan(v2);
    const left = await watcher.next<PresenceEvent>(
      (f) => f.type === 'presence' && !f.members.some((m) => m.nick === 'joiner'),
    );
    expect(left.version).toBeGreaterThan(pushed.version);
  });

  it('a WebSocket leave removes the member', async () => {
    const room = newRoom('pres-leave');
    const ws = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'leaver' } });
    await ws.join(room);
    await untilMembers(room, ['leaver/ws']);
    ws.send({ type: 'leave', room });
    await untilMembers(room, []);
  });

  it('no session id appears in any response, frame or stream', async () => {
    const room = newRoom('pres-secret');
    const sessions = [newSession(), newSession(), newSession(), newSession()];
    const [sWs, sSse, sPoll, sPost] = sessions as [string, string, string, string];
    const texts: string[] = [];

    const ws = await openWs(srv.wsUrl, { query: { session: sWs, nick: 'wsuser' } });
    await ws.join(room);
    const sse = await collectSse(sseUrl(srv.url, room, { session: sSse, nick: 'sseuser' }));
    await sse.events.next((e) => e.type === 'hello');
    texts.push((await poll(srv.url, room, { after: 0, session: sPoll, nick: 'polluser', timeout: 1 })).text);
    texts.push((await postMessage(srv.url, room, { nick: 'poster', session: sPost, cid: newCid(), text: 'x' })).text);
    ws.send({ type: 'send', room, cid: newCid(), text: 'from ws' });
    await sse.events.until((all) => all.filter((e) => e.type === 'message').length >= 2);
    await ws.frames.until((all) => all.filter((f) => f.type === 'message').length >= 2);
    await untilMembers(room, ['polluser/longpoll', 'sseuser/sse', 'wsuser/ws']);

    texts.push((await poll(srv.url, room, { after: 0, pv: 0, session: sPoll, nick: 'polluser', timeout: 1 })).text);
    texts.push((await getJson(`${srv.url}/rooms/${room}/presence`)).text);
    texts.push((await getJson(`${srv.url}/rooms`)).text);
    texts.push((await http(`${srv.url}/metrics`)).text);
    texts.push(...ws.raw, ...sse.lines);
    const all = texts.join('\n');
    expect(all).toContain('polluser');
    for (const s of sessions) expect(all.includes(s), `session ${s} leaked`).toBe(false);
  });
});
