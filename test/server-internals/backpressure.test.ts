/**
 * Readers on real sockets with a small buffer bound: a burst far larger than
 * the bound reaches a reader that keeps up (paged from the store), and an SSE
 * stream that stops reading is ended once it stays full; resuming from the
 * cursor loses nothing. (The WebSocket 1013 close is covered in hub.test.ts:
 * loopback buffers absorb tens of MB before a paused ws client looks slow.)
 */
import { get, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageEvent } from '../../src/protocol/index.js';
import {
  closeAllClients,
  newRoom,
  openWs,
  startTestServer,
  waitFor,
  withTimeout,
  type TestServer,
} from '../helpers/index.js';

// Enough bytes to fill the loopback socket buffers (a few MB) past the bound.
const COUNT = 2000;
const TEXT = 'w'.repeat(4000);

let srv: TestServer | undefined;

afterEach(async () => {
  closeAllClients();
  await srv?.close();
  srv = undefined;
});

async function fill(server: TestServer, room: string): Promise<void> {
  const all: Promise<unknown>[] = [];
  for (let i = 0; i < COUNT; i++) all.push(server.store.append({ room, nick: 'n', text: TEXT }));
  await Promise.all(all);
}

function isMsg(f: { type: string }): f is MessageEvent {
  return f.type === 'message';
}

describe('slow readers', () => {
  it('a WebSocket reader that keeps up gets a burst many times the buffer bound, in order; it stays open', async () => {
    srv = await startTestServer({ maxBufferBytes: 64 * 1024, limits: { slowReaderMs: 5000 }, heartbeatMs: 300 });
    const room = newRoom('burst-ws');
    const ws = await openWs(srv.wsUrl);
    await ws.join(room);
    await fill(srv, room);
    await ws.frames.until((all) => all.filter(isMsg).length === COUNT, 20_000, `${COUNT} messages`);
    expect(ws.frames.items.filter(isMsg).map((m) => m.seq)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
    expect(ws.isOpen).toBe(true);
  });

  it('an SSE stream that stops reading is ended, and Last-Event-ID resumes it with nothing lost', async () => {
    srv = await startTestServer({ maxBufferBytes: 64 * 1024, limits: { slowReaderMs: 1000 }, heartbeatMs: 300 });
    const room = newRoom('slow-sse');
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      get(`${srv!.url}/rooms/${room}/events?after=0`, resolve).on('error', reject);
    });
    expect(res.statusCode).toBe(200);
    res.pause();
    await fill(srv, room);
    // The server ends the stream once its buffer overflows; its connection count drops.
    await waitFor(
      async () => /rtchat_connections\{transport="sse"\} 0/.test(await (await fetch(`${srv!.url}/metrics`)).text()),
      {
        timeoutMs: 20_000,
        what: 'the SSE stream to be dropped',
      },
    );
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (body += chunk));
    res.resume();
    await withTimeout(new Promise((r) => res.once('end', r)), 20_000, 'the stream end');
    const ids = [...body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids.length).toBeLessThan(COUNT);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
    const last = ids.length === 0 ? 0 : ids[ids.length - 1]!;

    const again = await new Promise<IncomingMessage>((resolve, reject) => {
      get(`${srv!.url}/rooms/${room}/events?after=0`, { headers: { 'last-event-id': String(last) } }, resolve).on(
        'error',
        reject,
      );
    });
    let rest = '';
    again.setEncoding('utf8');
    again.on('data', (chunk: string) => (rest += chunk));
    await waitFor(() => rest.includes(`id: ${COUNT}\n`), { timeoutMs: 20_000, what: 'the last message' });
    again.destroy();
    const restIds = [...rest.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect([...ids, ...restIds]).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
  });
});
