/**
 * Server-Sent Events wire format, checked on the raw lines: headers, `retry`
 * first, `hello` next, `id:` only on messages, one `data:` line per event.
 */
import { EventSource } from 'eventsource';
import { describe, expect, it } from 'vitest';
import type { HelloEvent, MessageEvent } from '../../src/protocol/index.js';
import { collectSse, newRoom, newSession, postMessage, sseUrl, useTestServer, withTimeout } from '../helpers/index.js';

const srv = useTestServer();

describe('SSE', () => {
  it('answers with the event-stream headers', async () => {
    const s = await collectSse(sseUrl(srv.url, newRoom('sse-h')));
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(s.headers['cache-control']).toMatch(/no-cache/);
    expect(s.headers['x-accel-buffering']).toBe('no');
  });

  it('starts with retry: 1000, then a hello event', async () => {
    const room = newRoom('sse-start');
    await postMessage(srv.url, room, { nick: 'ann', text: 'before' });
    const s = await collectSse(sseUrl(srv.url, room));
    const helloFrame = await s.frames.next((f) => f.event === 'hello');
    expect(s.fields[0]).toEqual({ name: 'retry', value: '1000' });
    expect(s.frames.items[0]).toBe(helloFrame);
    const hello = helloFrame.json as HelloEvent;
    expect(hello).toMatchObject({
      type: 'hello',
      protocol: 1,
      room,
      head: 1,
      limits: { maxText: 4000, maxNick: 32 },
    });
    expect(typeof hello.epoch).toBe('string');
    expect(hello.epoch.length).toBeGreaterThan(0);
    expect(typeof hello.time).toBe('number');
    expect(hello.server).toMatch(/^rtchat\//);
  });

  it('messages carry id: <seq> and one data: line; other events carry no id', async () => {
    const room = newRoom('sse-frames');
    const s = await collectSse(sseUrl(srv.url, room, { session: newSession(), nick: 'sam' }));
    await s.frames.next((f) => f.event === 'hello');
    // A text with newlines must still travel as one data: line (JSON escapes them).
    const text = 'line one\nline two\n\n\tend';
    const res = await postMessage(srv.url, room, { nick: 'ann', text });
    expect(res.status).toBe(201);
    const frame = await s.frames.next((f) => f.event === 'message');
    // sam's own arrival is a presence change, pushed to the stream like any event.
    await s.frames.until((all) => all.some((f) => f.event === 'presence'), 10_000, 'a presence event');
    const msg = frame.json as MessageEvent;
    expect(msg).toMatchObject({ type: 'message', room, seq: 1, nick: 'ann', text });
    expect(frame.id).toBe('1');
    expect(frame.dataLines).toBe(1);
    for (const f of s.frames.items) {
      expect(f.dataLines, `frame ${f.event}`).toBe(1);
      expect(f.json, `frame ${f.event} is JSON`).toBeDefined();
      expect(f.json?.type, 'event: names the JSON type').toBe(f.event);
      if (f.event === 'message') expect(f.id).toBe(String((f.json as MessageEvent).seq));
      else expect(f.id, `frame ${f.event} has no id`).toBeUndefined();
    }
  });

  it('the eventsource package reads the stream and its lastEventId follows the seq', async () => {
    const room = newRoom('sse-es');
    const es = new EventSource(sseUrl(srv.url, room));
    try {
      const hello = new Promise<string>((resolve) => es.addEventListener('hello', (ev) => resolve(String(ev.data))));
      expect(JSON.parse(await withTimeout(hello, 10_000, 'hello'))).toMatchObject({ type: 'hello', room });
      const got = new Promise<{ data: string; id: string }>((resolve) =>
        es.addEventListener('message', (ev) => resolve({ data: String(ev.data), id: ev.lastEventId })),
      );
      expect((await postMessage(srv.url, room, { nick: 'ann', text: 'hi' })).status).toBe(201);
      const { data, id } = await withTimeout(got, 10_000, 'message');
      expect(JSON.parse(data)).toMatchObject({ type: 'message', seq: 1, text: 'hi' });
      expect(id).toBe('1');
    } finally {
      es.close();
    }
  });

  it('a bad room is an HTTP error before any stream', async () => {
    const s = await collectSse(sseUrl(srv.url, 'Not_A_Room'));
    expect(s.status).toBe(400);
    expect(JSON.parse(s.errorBody)).toMatchObject({ type: 'error', code: 'invalid_room' });
  });
});
