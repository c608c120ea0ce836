/**
 * Pure parts of the server: the token bucket, start-position rules and the
 * encode-once event wrapper.
 */
import { describe, expect, it } from 'vitest';
import { EncodedEvent } from '../../src/server/fanout/encoded-event.js';
import { resolveStart } from '../../src/server/fanout/position.js';
import { RateLimiter } from '../../src/server/rate-limit.js';
import type { RoomState } from '../../src/server/stores/store.js';

describe('RateLimiter', () => {
  it('allows a burst of 40, then refuses with the wait until the next token', () => {
    let now = 1_000_000;
    const rl = new RateLimiter({ burst: 40, perSecond: 20, now: () => now });
    for (let i = 0; i < 40; i++) expect(rl.take('s')).toBe(0);
    const wait = rl.take('s');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(50);
    // Another key has its own budget.
    expect(rl.take('other')).toBe(0);
    now += 50;
    expect(rl.take('s')).toBe(0);
    expect(rl.take('s')).toBeGreaterThan(0);
  });

  it('sustains 20 per second', () => {
    let now = 0;
    const rl = new RateLimiter({ burst: 40, perSecond: 20, now: () => now });
    for (let i = 0; i < 40; i++) rl.take('s');
    let allowed = 0;
    for (let ms = 0; ms < 10_000; ms += 10) {
      now += 10;
      if (rl.take('s') === 0) allowed++;
    }
    expect(allowed).toBeGreaterThanOrEqual(199);
    expect(allowed).toBeLessThanOrEqual(201);
  });

  it('forgets refilled buckets on sweep and caps the number of keys', () => {
    let now = 0;
    const rl = new RateLimiter({ burst: 2, perSecond: 1, maxKeys: 32, now: () => now });
    for (let i = 0; i < 100; i++) rl.take(`k${i}`);
    expect(rl.size).toBeLessThanOrEqual(32);
    now += 2000;
    rl.take('fresh');
    rl.sweep();
    expect(rl.size).toBe(1);
    now += 2000;
    rl.sweep();
    expect(rl.size).toBe(0);
  });
});

describe('resolveStart', () => {
  const state: RoomState = { room: 'r', epoch: 'E', head: 100, tail: 41 };

  it.each([
    ['no after: the last `history`', undefined, undefined, { cursor: 50 }],
    ['after=0: from the tail, no gap', 0, undefined, { cursor: 40 }],
    ['after inside the window', 60, 'E', { cursor: 60 }],
    ['after = tail - 1: no gap', 40, 'E', { cursor: 40 }],
    ['after = head', 100, undefined, { cursor: 100 }],
    ['after before the tail: gap', 10, 'E', { cursor: 40, gap: { type: 'gap', room: 'r', from: 11, to: 40 } }],
    ['after above head: reset', 101, 'E', { cursor: 40, reset: { type: 'reset', room: 'r', epoch: 'E', head: 100 } }],
    ['foreign epoch: reset', 60, 'X', { cursor: 40, reset: { type: 'reset', room: 'r', epoch: 'E', head: 100 } }],
  ])('%s', (_name, after, epoch, expected) => {
    expect(resolveStart(state, after, epoch, 50)).toEqual(expected);
  });

  it('history longer than what is retained starts at the tail', () => {
    expect(resolveStart({ room: 'r', epoch: 'E', head: 10, tail: 8 }, undefined, undefined, 50)).toEqual({ cursor: 7 });
    expect(resolveStart({ room: 'r', epoch: 'E', head: 0, tail: 1 }, undefined, undefined, 50)).toEqual({ cursor: 0 });
  });
});

describe('EncodedEvent', () => {
  const msg = { type: 'message', room: 'r', seq: 7, nick: 'ann', cid: 'c1', text: 'a\nb', ts: 5 } as const;

  it('encodes each format once and reuses it', () => {
    const ev = new EncodedEvent({ ...msg });
    expect(ev.json).toBe(JSON.stringify(msg));
    expect(ev.sseFrame).toBe(ev.sseFrame);
    expect(ev.wsPayload).toBe(ev.wsPayload);
    expect(ev.wsPayload.toString()).toBe(ev.json);
  });

  it('frames SSE with event, id for messages only, and one data line', () => {
    expect(new EncodedEvent({ ...msg }).sseFrame.toString()).toBe(
      `event: message\nid: 7\ndata: ${JSON.stringify(msg)}\n\n`,
    );
    const gap = { type: 'gap', room: 'r', from: 1, to: 2 } as const;
    expect(new EncodedEvent(gap).sseFrame.toString()).toBe(`event: gap\ndata: ${JSON.stringify(gap)}\n\n`);
  });
});
