/**
 * Per-session rate limits: 40 at once always pass; a burst beyond that gets
 * 429 `rate_limited` with Retry-After (HTTP) or an error frame with
 * `retryAfterMs` (WebSocket); other sessions are not affected. Counts and
 * codes only: the refill rate makes exact numbers timing-dependent.
 */
import { describe, expect, it } from 'vitest';
import type { AckEvent, ErrorEvent, MessageEvent } from '../../src/protocol/index.js';
import { newCid, newRoom, newSession, openWs, poll, postMessage, useTestServer } from '../helpers/index.js';

// The burst stays the contract's 40. The refill is slowed (an extension
// option) so that a loaded machine, slow to process a burst of 100, cannot
// earn back enough tokens to let it all through: counts, not timings.
const srv = useTestServer({ rateLimit: { perSecond: 1 } });

const BURST = 100;

async function storedCount(room: string): Promise<number> {
  const res = await poll(srv.url, room, { after: 0, limit: 1000, timeout: 1 });
  return res.body.events.filter((e): e is MessageEvent => e.type === 'message').length;
}

describe('rate limiting', () => {
  it('HTTP: a burst over 40 from one session gets 429 rate_limited with Retry-After; others unaffected', async () => {
    const room = newRoom('rl-http');
    const session = newSession();
    const results = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        postMessage(srv.url, room, { nick: 'flood', session, cid: newCid(), text: `m${i}` }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    const limited = results.filter((r) => r.status === 429);
    expect(created.length + limited.length, 'only 201 and 429').toBe(BURST);
    expect(created.length).toBeGreaterThanOrEqual(40);
    expect(limited.length).toBeGreaterThan(0);
    for (const r of limited) {
      expect(r.json).toMatchObject({ type: 'error', code: 'rate_limited', message: expect.any(String) as string });
      expect(r.headers['retry-after']).toMatch(/^\d+$/);
    }
    // Refused sends are not stored.
    expect(await storedCount(room)).toBe(created.length);

    // Another session from the same address still has its whole burst.
    const other = newSession();
    const others = await Promise.all(
      Array.from({ length: 40 }, (_, i) => postMessage(srv.url, room, { nick: 'calm', session: other, text: `o${i}` })),
    );
    expect(others.map((r) => r.status)).toEqual(Array(40).fill(201));
  });

  it('HTTP: anonymous sends share one budget per client address', async () => {
    const room = newRoom('rl-anon');
    const results = await Promise.all(
      Array.from({ length: BURST }, (_, i) => postMessage(srv.url, room, { nick: 'anon', text: `a${i}` })),
    );
    const created = results.filter((r) => r.status === 201).length;
    expect(created).toBeGreaterThanOrEqual(40);
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(created + results.filter((r) => r.status === 429).length).toBe(BURST);
  });

  it('WebSocket: a burst over 40 gets rate_limited error frames (retryAfterMs, cid); others unaffected', async () => {
    const room = newRoom('rl-ws');
    const ws = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'flood' } });
    const cids = Array.from({ length: BURST }, () => newCid());
    for (const [i, cid] of cids.entries()) ws.send({ type: 'send', room, cid, text: `m${i}` });
    const answered = new Set(cids);
    await ws.frames.until(
      (all) => all.filter((f) => (f.type === 'ack' || f.type === 'error') && answered.has(f.cid ?? '')).length >= BURST,
      10_000,
      'an answer to every send',
    );
    const answers = ws.frames.items.filter((f): f is AckEvent | ErrorEvent => f.type === 'ack' || f.type === 'error');
    const acks = answers.filter((f) => f.type === 'ack');
    const errors = answers.filter((f): f is ErrorEvent => f.type === 'error');
    expect(acks.length).toBeGreaterThanOrEqual(40);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e).toMatchObject({ code: 'rate_limited' });
      expect(answered.has(e.cid ?? '')).toBe(true);
      expect(e.retryAfterMs).toBeGreaterThan(0);
    }
    expect(ws.isOpen).toBe(true);
    expect(await storedCount(room)).toBe(acks.length);

    const calm = await openWs(srv.wsUrl, { query: { session: newSession(), nick: 'calm' } });
    const cid = newCid();
    calm.send({ type: 'send', room, cid, text: 'unaffected' });
    expect(await calm.next((f) => 'cid' in f && f.cid === cid)).toMatchObject({ type: 'ack', cid });
  });
});
