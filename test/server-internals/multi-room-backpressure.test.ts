/**
 * A multi-room SSE stream keeps the bounded buffer and the slow-reader rule
 * of a single-room one: a reader that stops reading is ended once it stays
 * full, and its last `id:` (the cursor list) resumes every room with nothing
 * lost and nothing twice.
 */
import { get, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRoomCursors } from '../../src/protocol/index.js';
import { closeAllClients, newRoom, startTestServer, waitFor, withTimeout, type TestServer } from '../helpers/index.js';

// Enough bytes (3 × 700 × 4 KB) to fill the loopback socket buffers past the 64 KiB bound.
const PER_ROOM = 700;
const TEXT = 'w'.repeat(4000);

let srv: TestServer | undefined;

afterEach(async () => {
  closeAllClients();
  await srv?.close();
  srv = undefined;
});

function open(url: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, { headers }, resolve).on('error', reject));
}

/** `[room, seq]` of each message frame, and the last `id:` line, from raw SSE text. */
function messagesOf(body: string): { seqs: Map<string, number[]>; lastId: string | undefined } {
  const seqs = new Map<string, number[]>();
  let lastId: string | undefined;
  for (const m of body.matchAll(/^id: (.*)\nevent: message\ndata: (.*)$/gm)) {
    lastId = m[1]!;
    const ev = JSON.parse(m[2]!) as { room: string; seq: number };
    seqs.set(ev.room, [...(seqs.get(ev.room) ?? []), ev.seq]);
  }
  return { seqs, lastId };
}

describe('multi-room slow readers', () => {
  it('a stream that stops reading is ended; its Last-Event-ID resumes every room losslessly', async () => {
    srv = await startTestServer({ maxBufferBytes: 64 * 1024, limits: { slowReaderMs: 1000 }, heartbeatMs: 300 });
    const rooms = [newRoom('slow-a'), newRoom('slow-b'), newRoom('slow-c')];
    const url = `${srv.url}/events?rooms=${rooms.map((r) => `${r}:0`).join(',')}`;
    const res = await open(url);
    expect(res.statusCode).toBe(200);
    res.pause();
    const appends: Promise<unknown>[] = [];
    for (let i = 0; i < PER_ROOM; i++) {
      for (const room of rooms) appends.push(srv.store.append({ room, nick: 'n', text: TEXT }));
    }
    await Promise.all(appends);
    await waitFor(
      async () => /rtchat_connections\{transport="sse"\} 0/.test(await (await fetch(`${srv!.url}/metrics`)).text()),
      { timeoutMs: 20_000, what: 'the SSE stream to be dropped' },
    );
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (body += chunk));
    res.resume();
    await withTimeout(new Promise((r) => res.once('end', r)), 20_000, 'the stream end');
    const first = messagesOf(body);
    const got = [...first.seqs.values()].reduce((n, s) => n + s.length, 0);
    expect(got).toBeLessThan(3 * PER_ROOM);
    expect(first.lastId).toBeDefined();
    // The last id names each room at the last seq this reader got of it.
    const resumeAt = parseRoomCursors(first.lastId!);
    expect(resumeAt.map((c) => [c.room, c.after])).toEqual(rooms.map((r) => [r, first.seqs.get(r)?.at(-1) ?? 0]));

    const again = await open(url, { 'last-event-id': first.lastId! });
    let rest = '';
    again.setEncoding('utf8');
    again.on('data', (chunk: string) => (rest += chunk));
    const total = (): number => [...messagesOf(rest).seqs.values()].reduce((n, s) => n + s.length, 0);
    await waitFor(() => total() === 3 * PER_ROOM - got, { timeoutMs: 20_000, what: 'the rest of every room' });
    again.destroy();
    const second = messagesOf(rest).seqs;
    for (const room of rooms) {
      const all = [...(first.seqs.get(room) ?? []), ...(second.get(room) ?? [])];
      expect(all, room).toEqual(Array.from({ length: PER_ROOM }, (_, i) => i + 1));
    }
  });
});
