/**
 * Long polls are woken by their own room only, and /metrics exposes the
 * server's metric families.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageEvent } from '../../src/protocol/index.js';
import { http, newRoom, poll, postMessage, startTestServer, waitFor, type TestServer } from '../helpers/index.js';

let srv: TestServer | undefined;

afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

describe('long-poll waiters', () => {
  it('a held poll ignores other rooms and answers with its own room’s message', async () => {
    srv = await startTestServer();
    const a = newRoom('wake-a');
    const b = newRoom('wake-b');
    const held = poll(srv.url, a, { after: 0, timeout: 20 });
    await waitFor(
      async () => /rtchat_connections\{transport="longpoll"\} 1/.test((await http(`${srv!.url}/metrics`)).text),
      {
        what: 'the held poll',
      },
    );
    expect((await postMessage(srv.url, b, { nick: 'bob', text: 'elsewhere' })).status).toBe(201);
    expect((await postMessage(srv.url, a, { nick: 'ann', text: 'here' })).status).toBe(201);
    const res = await held;
    expect(res.status).toBe(200);
    const msgs = res.body.events.filter((e): e is MessageEvent => e.type === 'message');
    expect(msgs.map((m) => [m.room, m.text])).toEqual([[a, 'here']]);
    expect(res.body.next).toBe(1);
  });

  it('/metrics lists connections, messages in/out and both latency histograms', async () => {
    srv = await startTestServer();
    await postMessage(srv.url, newRoom('m'), { nick: 'ann', text: 'x' });
    const text = (await http(`${srv.url}/metrics`)).text;
    for (const name of [
      'rtchat_connections',
      'rtchat_messages_in_total',
      'rtchat_messages_out_total',
      'rtchat_delivery_latency_seconds_bucket',
      'rtchat_store_write_seconds_bucket',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/^rtchat_messages_in_total 1$/m);
  });
});
