/**
 * Cross-transport matrix: whatever path a message is sent on (HTTP POST or a
 * WebSocket `send` frame), every receiver on every transport gets it once, in
 * seq order.
 */
import { describe, expect, it } from 'vitest';
import type { AckEvent, MessageEvent } from '../../src/protocol/index.js';
import {
  newCid,
  newRoom,
  newSession,
  openReceiver,
  openWs,
  postMessage,
  TRANSPORTS,
  useTestServer,
  type Receiver,
} from '../helpers/index.js';

const srv = useTestServer();

type SendPath = 'http' | 'ws';

async function makeSender(path: SendPath, room: string): Promise<(text: string) => Promise<number>> {
  const session = newSession();
  if (path === 'http') {
    return async (text) => {
      const res = await postMessage(srv.url, room, { nick: 'sender', session, cid: newCid(), text });
      expect(res.status).toBe(201);
      return (res.json as AckEvent).seq;
    };
  }
  const ws = await openWs(srv.wsUrl, { query: { session, nick: 'sender' } });
  return async (text) => {
    const cid = newCid();
    ws.send({ type: 'send', room, cid, text });
    const ack = await ws.next<AckEvent>((f) => (f.type === 'ack' || f.type === 'error') && 'cid' in f && f.cid === cid);
    expect(ack).toMatchObject({ type: 'ack', cid, room });
    return ack.seq;
  };
}

function summary(messages: MessageEvent[]): Array<[number, string]> {
  return messages.map((m) => [m.seq, m.text]);
}

describe('cross-transport matrix', () => {
  it.each<SendPath>(['http', 'ws'])(
    'a message sent over %s reaches long poll, SSE and WS receivers once, in order',
    async (path) => {
      const room = newRoom('matrix');
      const receivers: Receiver[] = [];
      for (const via of TRANSPORTS) {
        receivers.push(await openReceiver(via, { url: srv.url, room, session: newSession(), nick: `rx-${via}` }));
      }
      const send = await makeSender(path, room);

      const texts = ['one', 'two', 'three', 'four', 'five'];
      const seqs: number[] = [];
      for (const text of texts) seqs.push(await send(text));
      expect(seqs).toEqual([1, 2, 3, 4, 5]);

      // A last message as a sentinel: once it arrived, anything duplicated
      // before it would have arrived too, so "exactly once" is checked without sleeping.
      seqs.push(await send('sentinel'));
      const expected = [...texts, 'sentinel'].map((text, i) => [i + 1, text]);
      for (const rx of receivers) {
        const got = await rx.untilMessages(6);
        expect(summary(got), `receiver over ${rx.via}`).toEqual(expected);
        for (const m of got) {
          expect(m).toMatchObject({ type: 'message', room, nick: 'sender' });
          expect(typeof m.ts).toBe('number');
          expect(typeof m.cid).toBe('string');
        }
      }
    },
  );

  it('concurrent senders on both paths: every receiver sees the same gap-free sequence', async () => {
    const room = newRoom('matrix-mixed');
    const receivers: Receiver[] = [];
    for (const via of TRANSPORTS) receivers.push(await openReceiver(via, { url: srv.url, room }));
    const http = await makeSender('http', room);
    const ws = await makeSender('ws', room);
    const seqs = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => http(`h${i}`)),
      ...Array.from({ length: 5 }, (_, i) => ws(`w${i}`)),
    ]);
    expect([...seqs].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await http('sentinel');
    const reference = summary(await receivers[0]!.untilMessages(11));
    expect(reference.map(([seq]) => seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (const rx of receivers.slice(1)) {
      expect(summary(await rx.untilMessages(11)), `receiver over ${rx.via}`).toEqual(reference);
    }
  });

  it('a reader switching ws → sse → long poll from its cursor while messages flow gets each one once', async () => {
    const room = newRoom('matrix-switch');
    const N = 30;
    const send = await makeSender('http', room);
    const sending = (async () => {
      for (let i = 1; i <= N; i++) await send(`flow ${i}`);
    })();
    const seen: MessageEvent[] = [];
    let epoch: string | undefined;
    let after: number | undefined;
    for (const via of ['ws', 'sse', 'longpoll'] as const) {
      const rx = await openReceiver(via, {
        url: srv.url,
        room,
        ...(after !== undefined && { after }),
        ...(epoch && { epoch }),
      });
      const want = via === 'longpoll' ? N : Math.min(N, (after ?? 0) + 5);
      await rx.events.until(() => (rx.messages().at(-1)?.seq ?? after ?? 0) >= want, 10_000, `seq ${want} over ${via}`);
      rx.close();
      const hello = rx.events.items.find((e) => e.type === 'hello' || e.type === 'reset');
      if (hello && 'epoch' in hello) epoch = hello.epoch;
      const got = rx.messages();
      seen.push(...got);
      after = got.at(-1)?.seq ?? after;
      expect(
        rx.events.items.some((e) => e.type === 'reset' || e.type === 'gap'),
        `no reset or gap over ${via}`,
      ).toBe(false);
    }
    await sending;
    expect(seen.map((m) => m.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(seen.map((m) => m.text)).toEqual(Array.from({ length: N }, (_, i) => `flow ${i + 1}`));
  });

  it('readers joining mid-flow get a contiguous run, history then live, with nothing missed or doubled', async () => {
    const room = newRoom('matrix-midflow');
    const N = 60;
    // Two senders: each stays inside its session's burst.
    const senders = [await makeSender('http', room), await makeSender('ws', room)];
    const receivers: Receiver[] = [];
    for (let i = 1; i <= N; i++) {
      await senders[i % 2]!(`mid ${i}`);
      if (i % 10 === 5) {
        const via = TRANSPORTS[((i - 5) / 10) % TRANSPORTS.length]!;
        receivers.push(await openReceiver(via, { url: srv.url, room }));
      }
    }
    expect(receivers).toHaveLength(6);
    for (const rx of receivers) {
      await rx.events.until(() => rx.messages().at(-1)?.seq === N, 10_000, `seq ${N} over ${rx.via}`);
      const seqs = rx.messages().map((m) => m.seq);
      const first = seqs[0]!;
      expect(seqs, `contiguous over ${rx.via}`).toEqual(Array.from({ length: N - first + 1 }, (_, k) => first + k));
    }
  });
});
