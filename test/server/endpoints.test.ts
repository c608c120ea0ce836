/** `/ping`, `/rooms`, `/healthz` and `/metrics`. */
import { describe, expect, it } from 'vitest';
import type { RoomSummary } from '../../src/protocol/index.js';
import { getJson, http, newRoom, newSession, openWs, postMany, useTestServer, waitFor } from '../helpers/index.js';

const srv = useTestServer();

/** Sample lines of a Prometheus text body: name, labels, value. */
function samples(body: string): Array<{ name: string; labels: string; value: number }> {
  const out: Array<{ name: string; labels: string; value: number }> = [];
  for (const line of body.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m) out.push({ name: m[1]!, labels: m[2] ?? '', value: Number(m[3]) });
  }
  return out;
}

function total(body: string, pred: (name: string, labels: string) => boolean): number {
  return samples(body)
    .filter((s) => pred(s.name, s.labels))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('other endpoints', () => {
  it('GET /ping?t= answers a pong with the client t and the server clock', async () => {
    const res = await getJson(`${srv.url}/ping?t=1764000000100`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ type: 'pong', t: 1764000000100, server: expect.any(Number) as number });
  });

  it('GET /rooms lists rooms with head and member count', async () => {
    const room = newRoom('rooms');
    await postMany(srv.url, room, 3);
    const ws = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'm' } });
    await ws.join(room);
    const entry = await waitFor(async () => {
      const res = await getJson(`${srv.url}/rooms`);
      expect(res.status).toBe(200);
      const found = (res.json as { rooms: RoomSummary[] }).rooms.find((r) => r.room === room);
      expect(found).toEqual({ room, head: 3, members: 1 });
      return found;
    });
    expect(entry.head).toBe(3);
  });

  it('GET /healthz is {"ok":true}', async () => {
    const res = await getJson(`${srv.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true });
  });

  it('GET /metrics is Prometheus text with connection and message metrics', async () => {
    const ws = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'metric' } });
    await ws.join(newRoom('metrics'));
    const before = await http(`${srv.url}/metrics`);
    expect(before.status).toBe(200);
    expect(before.headers['content-type']).toMatch(/^text\/plain/);
    expect(before.text).toMatch(/^# (HELP|TYPE) /m);
    // Connections are counted per transport: a label names the ws one.
    expect(total(before.text, (n, l) => /connection/i.test(n) && /"ws"/.test(l))).toBeGreaterThanOrEqual(1);
    expect(before.text).toMatch(/_bucket\{/);
    // Process figures, so a bench against a server it did not start can report CPU and RSS.
    expect(before.text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(before.text).toMatch(/^process_resident_memory_bytes \d/m);

    const isMessagesIn = (n: string, l: string): boolean =>
      /message/i.test(n) && !/_bucket|_sum|_count$/.test(n) && !/out/i.test(n + l);
    const inBefore = total(before.text, isMessagesIn);
    await postMany(srv.url, newRoom('metrics-in'), 2);
    const after = await http(`${srv.url}/metrics`);
    expect(total(after.text, isMessagesIn)).toBeGreaterThanOrEqual(inBefore + 2);
  });
});
