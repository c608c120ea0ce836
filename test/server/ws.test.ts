/**
 * WebSocket specifics: join → hello → history → live, several rooms per
 * socket, leave, ping/pong, and the `cid` / `room` on ack and error frames.
 */
import { describe, expect, it } from 'vitest';
import type { AckEvent, ErrorEvent, HelloEvent, MessageEvent, ServerEvent } from '../../src/protocol/index.js';
import { newCid, newRoom, newSession, openWs, postMany, postMessage, useTestServer } from '../helpers/index.js';

const srv = useTestServer();

const isMsg =
  (room: string) =>
  (f: ServerEvent): f is MessageEvent =>
    f.type === 'message' && f.room === room;

describe('WebSocket', () => {
  it('join answers hello, then the history, then live messages', async () => {
    const room = newRoom('ws-join');
    await postMany(srv.url, room, 2);
    const ws = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'wes' } });
    ws.send({ type: 'join', room });
    const first = await ws.next((f) => f.type !== 'presence');
    expect(first).toMatchObject({ type: 'hello', protocol: 1, room, head: 2, limits: { maxText: 4000, maxNick: 32 } });
    expect(typeof (first as HelloEvent).epoch).toBe('string');
    expect(await ws.next(isMsg(room))).toMatchObject({ seq: 1, text: 'm1' });
    expect(await ws.next(isMsg(room))).toMatchObject({ seq: 2, text: 'm2' });
    await postMessage(srv.url, room, { nick: 'ann', text: 'live' });
    expect(await ws.next(isMsg(room))).toMatchObject({ seq: 3, text: 'live', nick: 'ann' });
  });

  it("one socket joins two rooms and gets each room's messages tagged with its room", async () => {
    const [a, b] = [newRoom('ws-a'), newRoom('ws-b')];
    const ws = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'wes' } });
    expect(await ws.join(a)).toMatchObject({ type: 'hello', room: a });
    expect(await ws.join(b)).toMatchObject({ type: 'hello', room: b });
    await postMessage(srv.url, a, { nick: 'ann', text: 'to a' });
    await postMessage(srv.url, b, { nick: 'ann', text: 'to b' });
    await ws.frames.until((all) => all.filter((f) => f.type === 'message').length >= 2);
    const msgs = ws.frames.items.filter((f): f is MessageEvent => f.type === 'message');
    expect(msgs.map((m) => [m.room, m.seq, m.text]).sort()).toEqual(
      [
        [a, 1, 'to a'],
        [b, 1, 'to b'],
      ].sort(),
    );
  });

  it("after leave, the room's messages stop while other rooms go on", async () => {
    const [a, b] = [newRoom('ws-leave-a'), newRoom('ws-leave-b')];
    const ws = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'wes' } });
    await ws.join(a);
    await ws.join(b);
    ws.send({ type: 'leave', room: a });
    // A ping round trip orders the leave before the next sends.
    ws.send({ type: 'ping', t: 1 });
    await ws.next((f) => f.type === 'pong');
    expect((await postMessage(srv.url, a, { nick: 'ann', text: 'after leave' })).status).toBe(201);
    expect((await postMessage(srv.url, b, { nick: 'ann', text: 'sentinel' })).status).toBe(201);
    await ws.next(isMsg(b));
    expect(ws.frames.items.filter(isMsg(a))).toEqual([]);
  });

  it('ping is answered by pong with the client t and the server clock', async () => {
    const ws = await openWs(srv.wsUrl);
    const t = Date.now();
    ws.send({ type: 'ping', t });
    const pong = await ws.next((f) => f.type === 'pong');
    expect(pong).toEqual({ type: 'pong', t, server: expect.any(Number) as number });
  });

  it('send is answered by an ack with its cid, and the message carries the socket nick', async () => {
    const room = newRoom('ws-send');
    const ws = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'wes' } });
    await ws.join(room);
    const cid = newCid();
    ws.send({ type: 'send', room, cid, text: 'hi' });
    const ack = await ws.next<AckEvent>((f) => f.type === 'ack' || f.type === 'error');
    expect(ack).toEqual({ type: 'ack', cid, room, seq: 1, ts: expect.any(Number) as number });
    // The ack and the echoed message may come in either order.
    await ws.frames.until((all) => all.some(isMsg(room)));
    expect(ws.frames.items.find(isMsg(room))).toMatchObject({ seq: 1, cid, nick: 'wes', text: 'hi', ts: ack.ts });
  });

  it('a rejected send gets an error frame carrying its cid', async () => {
    const room = newRoom('ws-send-bad');
    const ws = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'wes' } });
    const cid = newCid();
    ws.send({ type: 'send', room, cid, text: 'bell \u0007' });
    const err = await ws.next<ErrorEvent>((f) => f.type === 'error' || f.type === 'ack');
    expect(err).toMatchObject({ type: 'error', code: 'invalid_text', cid });
    expect(typeof err.message).toBe('string');
    expect(ws.isOpen).toBe(true);
  });

  it('an error that answers a join carries its room', async () => {
    const ws = await openWs(srv.wsUrl);
    ws.send({ type: 'join', room: 'NOT-valid' });
    const err = await ws.next<ErrorEvent>((f) => f.type === 'error');
    expect(err).toMatchObject({ type: 'error', code: 'invalid_room', room: 'NOT-valid' });
    // The socket stays usable.
    const room = newRoom('ws-after-bad-join');
    expect(await ws.join(room)).toMatchObject({ type: 'hello', room });
  });

  it('join with after resumes; join with a foreign epoch resets', async () => {
    const room = newRoom('ws-resume');
    await postMany(srv.url, room, 3);
    const ws = await openWs(srv.wsUrl);
    const hello = (await ws.join(room, { after: 2 })) as HelloEvent;
    expect(await ws.next(isMsg(room))).toMatchObject({ seq: 3 });
    const ws2 = await openWs(srv.wsUrl);
    await ws2.join(room, { after: 1, epoch: `${hello.epoch}-other` });
    expect(await ws2.next((f) => f.type === 'reset' || f.type === 'message')).toEqual({
      type: 'reset',
      room,
      epoch: hello.epoch,
      head: 3,
    });
    expect(await ws2.next(isMsg(room))).toMatchObject({ seq: 1 });
  });
});
