/**
 * Idempotent sends: the key is (room, session, cid), or (room, cid) without a
 * session. A retry returns the original ack and stores nothing new.
 */
import { describe, expect, it } from 'vitest';
import type { AckEvent, MessageEvent } from '../../src/protocol/index.js';
import { newCid, newRoom, newSession, openWs, poll, postMessage, useTestServer } from '../helpers/index.js';

const srv = useTestServer();

async function stored(room: string): Promise<MessageEvent[]> {
  const res = await poll(srv.url, room, { after: 0, timeout: 1 });
  expect(res.status).toBe(200);
  return res.body.events.filter((e): e is MessageEvent => e.type === 'message');
}

describe('idempotent cid', () => {
  it('a retried cid gets 201 then 200 with the same ack, and is stored once', async () => {
    const room = newRoom('idem');
    const body = { nick: 'ann', session: newSession(), cid: newCid(), text: 'once' };
    const first = await postMessage(srv.url, room, body);
    expect(first.status).toBe(201);
    const ack = first.json as AckEvent;
    expect(ack).toMatchObject({ type: 'ack', cid: body.cid, room, seq: 1 });
    expect(typeof ack.ts).toBe('number');
    const again = await postMessage(srv.url, room, body);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(ack);
    const msgs = await stored(room);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ seq: 1, cid: body.cid, text: 'once', nick: 'ann', ts: ack.ts });
  });

  it('concurrent retries of one send store one message; exactly one gets 201', async () => {
    const room = newRoom('idem-race');
    const body = { nick: 'ann', session: newSession(), cid: newCid(), text: 'racy' };
    const results = await Promise.all(Array.from({ length: 6 }, () => postMessage(srv.url, room, body)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => (r.json as AckEvent).seq))).toEqual(new Set([1]));
    expect(await stored(room)).toHaveLength(1);
  });

  it('the same key with another text is 409 conflict and stores nothing', async () => {
    const room = newRoom('idem-conflict');
    const body = { nick: 'ann', session: newSession(), cid: newCid(), text: 'first' };
    expect((await postMessage(srv.url, room, body)).status).toBe(201);
    const clash = await postMessage(srv.url, room, { ...body, text: 'second' });
    expect(clash.status).toBe(409);
    expect(clash.json).toMatchObject({ type: 'error', code: 'conflict' });
    expect((await stored(room)).map((m) => m.text)).toEqual(['first']);
  });

  it('the same cid from another session is another message', async () => {
    const room = newRoom('idem-sessions');
    const cid = newCid();
    const a = await postMessage(srv.url, room, { nick: 'ann', session: newSession(), cid, text: 'same' });
    const b = await postMessage(srv.url, room, { nick: 'bob', session: newSession(), cid, text: 'same' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((b.json as AckEvent).seq).toBe((a.json as AckEvent).seq + 1);
    expect(await stored(room)).toHaveLength(2);
  });

  it('the same cid in another room is another message', async () => {
    const body = { nick: 'ann', session: newSession(), cid: newCid(), text: 'x' };
    expect((await postMessage(srv.url, newRoom('idem-a'), body)).status).toBe(201);
    expect((await postMessage(srv.url, newRoom('idem-b'), body)).status).toBe(201);
  });

  it('without a session the key is (room, cid)', async () => {
    const room = newRoom('idem-anon');
    const body = { nick: 'ann', cid: newCid(), text: 'anon' };
    const first = await postMessage(srv.url, room, body);
    const again = await postMessage(srv.url, room, body);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect((again.json as AckEvent).seq).toBe((first.json as AckEvent).seq);
    expect(await stored(room)).toHaveLength(1);
  });

  it('without a cid sends are not deduplicated and the ack carries a server-made cid', async () => {
    const room = newRoom('idem-nocid');
    const body = { nick: 'ann', session: newSession(), text: 'twice' };
    const a = await postMessage(srv.url, room, body);
    const b = await postMessage(srv.url, room, body);
    expect([a.status, b.status]).toEqual([201, 201]);
    const [ackA, ackB] = [a.json as AckEvent, b.json as AckEvent];
    expect(ackA.cid).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(ackB.cid).not.toBe(ackA.cid);
    const msgs = await stored(room);
    expect(msgs.map((m) => m.cid)).toEqual([ackA.cid, ackB.cid]);
  });

  it('a WebSocket retry, even after an HTTP send with the same session and cid, acks the original seq', async () => {
    const room = newRoom('idem-ws');
    const session = newSession();
    const cid = newCid();
    const http = await postMessage(srv.url, room, { nick: 'ann', session, cid, text: 'hello' });
    expect(http.status).toBe(201);
    const ws = await openWs(srv.wsUrl, { query: { session, nick: 'ann' } });
    ws.send({ type: 'send', room, cid, text: 'hello' });
    const ack = await ws.next((f) => 'cid' in f && f.cid === cid);
    expect(ack).toMatchObject({ type: 'ack', cid, room, seq: (http.json as AckEvent).seq });
    ws.send({ type: 'send', room, cid, text: 'hello' });
    expect(await ws.next((f) => 'cid' in f && f.cid === cid)).toEqual(ack);
    ws.send({ type: 'send', room, cid, text: 'changed' });
    expect(await ws.next((f) => 'cid' in f && f.cid === cid)).toMatchObject({ type: 'error', code: 'conflict', cid });
    expect(await stored(room)).toHaveLength(1);
  });
});
