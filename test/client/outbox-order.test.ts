/**
 * The outbox's ordering rules against a scripted in-order "server" (a sender
 * that answers in arrival order and stores what it accepts): pacing, the
 * hold and one-at-a-time window after a refusal, and no overtaking across a
 * transport switch.
 */
import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/client/backoff.js';
import { ClientError } from '../../src/client/errors.js';
import { Outbox, type OutboxSender } from '../../src/client/outbox.js';
import { SendPacer } from '../../src/client/send-pacer.js';
import type { OutgoingMessage } from '../../src/client/types.js';
import type { AckEvent } from '../../src/protocol/index.js';
import { waitFor, withTimeout } from '../helpers/index.js';

function out(cid: string): OutgoingMessage {
  return { cid, room: 'lobby', nick: 'ann', text: cid, queuedAt: Date.now(), status: 'pending' };
}

const names = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `m${from + i}`);

/** No pacing to speak of: these tests are about order, not rate. */
const unpaced = (): SendPacer => new SendPacer({ burst: 1_000_000, perSecond: 1_000_000 });

interface ScriptedServer extends OutboxSender {
  calls: string[];
  stored: string[];
  /** Most sends in flight at once among those handed over after the first refusal. */
  maxInFlightAfterRefusal: number;
  /** The other sends in flight when the first refusal was answered, in order. */
  inFlightAtRefusal: string[];
  /** Sends handed over after the first refusal, in order. */
  callsAfterRefusal: string[];
  /** Most sends in flight at once overall. */
  maxInFlight: number;
}

/**
 * Answers each send on a later macrotask, in arrival order (as one socket
 * does); `refuse` may turn an attempt into an error, anything else is stored.
 */
function scriptedServer(
  window: number,
  refuse: (cid: string, attempt: number) => ClientError | undefined,
): ScriptedServer {
  const attempts = new Map<string, number>();
  const flying = new Set<string>();
  let inFlight = 0;
  let refused = false;
  const s: ScriptedServer = {
    window,
    calls: [],
    stored: [],
    maxInFlightAfterRefusal: 0,
    inFlightAtRefusal: [],
    callsAfterRefusal: [],
    maxInFlight: 0,
    send(m) {
      s.calls.push(m.cid);
      if (refused) s.callsAfterRefusal.push(m.cid);
      flying.add(m.cid);
      inFlight++;
      s.maxInFlight = Math.max(s.maxInFlight, inFlight);
      if (refused) s.maxInFlightAfterRefusal = Math.max(s.maxInFlightAfterRefusal, inFlight);
      const attempt = (attempts.get(m.cid) ?? 0) + 1;
      attempts.set(m.cid, attempt);
      return new Promise<AckEvent>((resolve, reject) =>
        setImmediate(() => {
          inFlight--;
          flying.delete(m.cid);
          const err = refuse(m.cid, attempt);
          if (err) {
            if (!refused) s.inFlightAtRefusal = [...flying];
            refused = true;
            reject(err);
            return;
          }
          s.stored.push(m.cid);
          resolve({ type: 'ack', cid: m.cid, room: m.room, seq: s.stored.length, ts: 1 });
        }),
      );
    },
  };
  return s;
}

describe('Outbox order', () => {
  it('paces transmissions with its pacer', async () => {
    const box = new Outbox({ onChange: () => undefined, pacer: new SendPacer({ burst: 2, perSecond: 100 }) });
    const server = scriptedServer(8, () => undefined);
    box.setSender(server);
    for (const cid of names(1, 5)) box.enqueue(out(cid));
    // The burst goes at once; the rest wait for tokens, though the window has room.
    expect(server.calls).toEqual(['m1', 'm2']);
    await withTimeout(box.whenIdle(), 5000, 'all acked');
    expect(server.stored).toEqual(names(1, 5));
  });

  it.each([
    ['rate_limited', new ClientError('rate_limited', 'slow down', { retryAfterMs: 30 })],
    ['a timeout', new ClientError('timeout', 'no ack in time')],
  ])('after %s, retries that send before anything queued behind it, one at a time until drained', async (_, error) => {
    const box = new Outbox({
      onChange: () => undefined,
      pacer: unpaced(),
      retryBackoff: new Backoff({ minMs: 1, maxMs: 5 }),
    });
    const server = scriptedServer(8, (cid, attempt) => (cid === 'm3' && attempt === 1 ? error : undefined));
    box.setSender(server);
    for (const cid of names(1, 20)) box.enqueue(out(cid));
    await withTimeout(box.whenIdle(), 5000, 'all acked');

    // Those already in flight when m3 was refused cannot be recalled (at most
    // window - 1 of them); m3 is retried first, and nothing after overtakes it.
    const flying = server.inFlightAtRefusal;
    expect(flying.length).toBeGreaterThan(0);
    expect(flying.length).toBeLessThanOrEqual(7);
    const rest = names(4, 20).filter((c) => !flying.includes(c));
    expect(flying).toEqual(names(4, 3 + flying.length));
    expect(server.callsAfterRefusal).toEqual(['m3', ...rest]);
    expect(server.stored).toEqual(['m1', 'm2', ...flying, 'm3', ...rest]);
    expect(server.maxInFlightAfterRefusal).toBe(1);

    // Drained: pipelining is back.
    const next = scriptedServer(8, () => undefined);
    box.setSender(next);
    for (const cid of names(21, 28)) box.enqueue(out(cid));
    await withTimeout(box.whenIdle(), 5000, 'the second batch acked');
    expect(next.maxInFlight).toBe(8);
    expect(next.stored).toEqual(names(21, 28));
  });

  it('sends nothing on a new transport past a send still in flight on the replaced one', async () => {
    const box = new Outbox({ onChange: () => undefined, pacer: unpaced() });
    const failOld: (() => void)[] = [];
    const old: OutboxSender = {
      window: 4,
      send: () =>
        new Promise<AckEvent>((_, reject) => failOld.push(() => reject(new ClientError('closed', 'transport closed')))),
    };
    box.setSender(old);
    box.enqueue(out('m1'));
    box.enqueue(out('m2'));
    await waitFor(() => failOld.length === 2, { what: 'two sends in flight on the old transport' });
    const fresh = scriptedServer(4, () => undefined);
    // As on a live switch: the new transport is adopted before the old one is closed.
    box.setSender(fresh);
    box.enqueue(out('m3'));
    expect(fresh.calls).toEqual([]);
    for (const fail of failOld) fail();
    await withTimeout(box.whenIdle(), 5000, 'all acked');
    expect(fresh.stored).toEqual(['m1', 'm2', 'm3']);
  });
});
