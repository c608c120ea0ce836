/** The outbox against a scripted sender: what it retries, what it gives up on, in what order. */
import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/client/backoff.js';
import { ClientError } from '../../src/client/errors.js';
import { Outbox, type OutboxSender } from '../../src/client/outbox.js';
import type { OutgoingMessage } from '../../src/client/types.js';
import type { AckEvent } from '../../src/protocol/index.js';
import { waitFor } from '../helpers/index.js';

function out(cid: string, text = cid): OutgoingMessage {
  return { cid, room: 'lobby', nick: 'ann', text, queuedAt: Date.now(), status: 'pending' };
}

/** A sender whose answer per attempt is scripted; it records every (cid) it was handed. */
function scripted(
  script: (m: OutgoingMessage, attempt: number) => AckEvent | ClientError,
  window = 1,
): OutboxSender & { calls: string[] } {
  const attempts = new Map<string, number>();
  let seq = 0;
  const calls: string[] = [];
  return {
    window,
    calls,
    send(m) {
      calls.push(m.cid);
      const n = (attempts.get(m.cid) ?? 0) + 1;
      attempts.set(m.cid, n);
      const r = script(m, n);
      if (r instanceof ClientError) return Promise.reject(r);
      return Promise.resolve({ ...r, seq: r.seq || ++seq });
    },
  };
}

const ack = (m: OutgoingMessage): AckEvent => ({ type: 'ack', cid: m.cid, room: m.room, seq: 0, ts: 1 });
const fastRetry = new Backoff({ minMs: 1, maxMs: 5 });

describe('Outbox', () => {
  it('keeps sends while offline and flushes them in order when a sender appears', async () => {
    const changes: string[] = [];
    const box = new Outbox({ onChange: (m) => changes.push(`${m.cid}:${m.status}:${m.seq}`) });
    for (const cid of ['a', 'b', 'c']) box.enqueue(out(cid));
    expect(box.list().map((m) => m.status)).toEqual(['pending', 'pending', 'pending']);
    const sender = scripted((m) => ack(m));
    const idle = box.whenIdle();
    box.setSender(sender);
    await idle;
    expect(sender.calls).toEqual(['a', 'b', 'c']);
    expect(changes).toEqual(['a:acked:1', 'b:acked:2', 'c:acked:3']);
    await expect(box.whenAcked('b')).resolves.toMatchObject({ cid: 'b', seq: 2 });
  });

  it('retries network errors with the same cid, and fails permanent refusals for good', async () => {
    const box = new Outbox({ onChange: () => undefined, retryBackoff: fastRetry });
    const sender = scripted((m, n) => {
      if (m.cid === 'bad') return new ClientError('invalid_text', 'no');
      if (n < 3) return new ClientError('unreachable', 'down');
      return ack(m);
    });
    box.setSender(sender);
    box.enqueue(out('ok'));
    box.enqueue(out('bad'));
    await expect(box.whenAcked('ok')).resolves.toMatchObject({ cid: 'ok' });
    await expect(box.whenAcked('bad')).rejects.toMatchObject({ code: 'invalid_text' });
    await box.whenIdle();
    expect(sender.calls).toEqual(['ok', 'ok', 'ok', 'bad']);
    expect(box.list()).toEqual([expect.objectContaining({ cid: 'bad', status: 'failed', error: 'invalid_text' })]);
  });

  it('waits retryAfterMs after rate_limited, then sends the same cid again', async () => {
    const box = new Outbox({ onChange: () => undefined });
    let limitedAt = 0;
    let retriedAt = 0;
    const sender = scripted((m, n) => {
      if (n === 1) {
        limitedAt = Date.now();
        return new ClientError('rate_limited', 'slow down', { retryAfterMs: 150 });
      }
      retriedAt = Date.now();
      return ack(m);
    });
    box.setSender(sender);
    box.enqueue(out('x'));
    await box.whenAcked('x');
    expect(sender.calls).toEqual(['x', 'x']);
    // Not a timing assertion on speed: the retry must not come before the server's wait.
    expect(retriedAt - limitedAt).toBeGreaterThanOrEqual(140);
  });

  it('resends at once on a new sender what the replaced one left in flight', async () => {
    const box = new Outbox({ onChange: () => undefined, retryBackoff: new Backoff({ minMs: 60_000, maxMs: 60_000 }) });
    let failOld: (() => void) | undefined;
    const old: OutboxSender = {
      window: 1,
      send: () => new Promise<AckEvent>((_, reject) => (failOld = () => reject(new ClientError('closed', 'closed')))),
    };
    box.setSender(old);
    box.enqueue(out('m'));
    const failFirst = await waitFor(() => failOld, { what: 'the first send' });
    const fresh = scripted((m) => ack(m));
    box.setSender(fresh);
    failFirst();
    await expect(box.whenAcked('m')).resolves.toMatchObject({ cid: 'm' });
    expect(fresh.calls).toEqual(['m']);
  });
});
