/**
 * Bad WebSocket input: error frames for bad frames (socket stays open),
 * 1009 for oversized frames, 1007 for invalid UTF-8, and a bystander in the
 * same room that never notices any of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEvent, MessageEvent } from '../../src/protocol/index.js';
import {
  closeAllClients,
  newRoom,
  newSession,
  openWs,
  postMessage,
  startTestServer,
  stopIfStarted,
  type TestServer,
  type WsClient,
} from '../helpers/index.js';

let srv: TestServer;
let bystander: WsClient;
const room = newRoom('ws-bad');
beforeAll(async () => {
  srv = await startTestServer();
  bystander = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'bystander' } });
  await bystander.join(room);
});
afterAll(async () => {
  closeAllClients();
  await stopIfStarted(srv, (s) => s.close());
});

let mallories = 0;
async function joined(): Promise<WsClient> {
  // A nick per socket: the earlier sockets stay open, and a present session's nick is its own.
  const ws = await openWs(srv.wsUrl, { query: { session: newSession(), nick: `mallory${++mallories}` } });
  await ws.join(room);
  return ws;
}

/** The socket still answers: a ping round trip. */
async function expectAlive(ws: WsClient): Promise<void> {
  const t = Date.now();
  ws.send({ type: 'ping', t });
  expect(await ws.next((f) => f.type === 'pong')).toMatchObject({ type: 'pong', t });
}

const badFrames: Array<{ name: string; raw: string }> = [
  { name: 'not JSON', raw: 'hello there' },
  { name: 'truncated JSON', raw: '{"type":"send","room":' },
  { name: 'a JSON array', raw: '[1,2,3]' },
  { name: 'a JSON string', raw: '"join"' },
  { name: 'JSON null', raw: 'null' },
  { name: 'an unknown frame type', raw: '{"type":"dance","room":"x"}' },
  { name: 'no type at all', raw: '{"room":"x"}' },
  { name: 'a ping without t', raw: '{"type":"ping"}' },
  { name: 'a join with a bad after', raw: `{"type":"join","room":"${room}","after":-3}` },
];

describe('bad WebSocket frames', () => {
  it.each(badFrames)('$name gets an error frame bad_request and the socket stays open', async ({ raw }) => {
    const ws = await joined();
    ws.sendRaw(raw);
    const err = await ws.next<ErrorEvent>((f) => f.type === 'error');
    expect(err).toMatchObject({ type: 'error', code: 'bad_request', message: expect.any(String) as string });
    await expectAlive(ws);
  });

  it.each([
    { name: 'control characters', text: 'bell\u0007', code: 'invalid_text' },
    { name: 'a lone surrogate', text: '\ud800', code: 'invalid_text' },
    { name: 'too many code points', text: 'a'.repeat(4001), code: 'invalid_text' },
    { name: 'empty text', text: '', code: 'invalid_text' },
  ])('a send with $name gets error $code with its cid', async ({ text, code }) => {
    const ws = await joined();
    // JSON.stringify escapes a lone surrogate as \ud800, as the contract's "lone surrogates in JSON escapes".
    ws.sendRaw(JSON.stringify({ type: 'send', room, cid: 'bad-1', text }));
    expect(await ws.next((f) => f.type === 'error' || f.type === 'ack')).toMatchObject({
      type: 'error',
      code,
      cid: 'bad-1',
    });
    await expectAlive(ws);
  });

  it('a send with no nick (none on the socket, none in the frame) gets invalid_nick', async () => {
    const ws = await openWs(srv.wsUrl, { query: { session: newSession() } });
    ws.send({ type: 'send', room, cid: 'no-nick', text: 'hi' });
    expect(await ws.next((f) => f.type === 'error' || f.type === 'ack')).toMatchObject({
      type: 'error',
      code: 'invalid_nick',
      cid: 'no-nick',
    });
    ws.send({ type: 'send', room, cid: 'bad-nick', text: 'hi', nick: 'a\u0007' });
    expect(await ws.next((f) => f.type === 'error' || f.type === 'ack')).toMatchObject({
      type: 'error',
      code: 'invalid_nick',
      cid: 'bad-nick',
    });
  });

  it('a send to a bad room gets invalid_room with its cid', async () => {
    const ws = await joined();
    ws.send({ type: 'send', room: 'No Room', cid: 'bad-room', text: 'hi' });
    expect(await ws.next((f) => f.type === 'error')).toMatchObject({
      type: 'error',
      code: 'invalid_room',
      cid: 'bad-room',
    });
  });

  it('a binary frame is answered (error frame or close) and the server keeps serving', async () => {
    const ws = await joined();
    ws.sendRaw(Buffer.from(JSON.stringify({ type: 'ping', t: 1 })), { binary: true });
    const outcome = await Promise.race([
      ws.next((f) => f.type === 'error' || f.type === 'pong').then((f) => ({ frame: f })),
      ws.closed.then((c) => ({ close: c })),
    ]);
    if ('frame' in outcome) {
      expect(outcome.frame).toMatchObject({ type: 'error', code: 'bad_request' });
      await expectAlive(ws);
    } else {
      expect([1003, 1007, 1008]).toContain(outcome.close.code);
    }
    await expectAlive(await joined());
  });

  it('a frame of exactly 64 KiB is read', async () => {
    const ws = await joined();
    const head = '{"type":"ping","t":7,"pad":"';
    const frame = head + 'p'.repeat(65536 - head.length - 2) + '"}';
    expect(Buffer.byteLength(frame)).toBe(65536);
    ws.sendRaw(frame);
    expect(await ws.next((f) => f.type === 'pong' || f.type === 'error')).toMatchObject({ type: 'pong', t: 7 });
  });

  it('a frame over 64 KiB closes the socket with 1009', async () => {
    const ws = await joined();
    ws.send({ type: 'send', room, cid: 'huge', text: 'x'.repeat(70_000) });
    expect((await ws.waitClose()).code).toBe(1009);
  });

  it('a text frame of invalid UTF-8 closes the socket with 1007', async () => {
    const ws = await joined();
    ws.sendRaw(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { binary: false });
    expect((await ws.waitClose()).code).toBe(1007);
  });

  it('after all that, the bystander was never disturbed and still gets messages', async () => {
    expect(bystander.isOpen).toBe(true);
    expect(bystander.frames.items.filter((f) => f.type === 'error')).toEqual([]);
    const res = await postMessage(srv.url, room, { nick: 'ann', text: 'all good' });
    expect(res.status).toBe(201);
    const msg = await bystander.next<MessageEvent>((f) => f.type === 'message' && f.text === 'all good');
    expect(msg.room).toBe(room);
    // Nothing from the bad frames was stored: this is the room's first message.
    expect(msg.seq).toBe(1);
    await expectAlive(bystander);
  });
});
