/**
 * A client's own sends are stored in the order they were sent, over every
 * transport, against the real server: with the contract's rate limit the
 * client's pacing never meets `rate_limited`; with a server tighter than
 * that pacing, refusals come back and order still holds. The transports are
 * the real adapters, wrapped only to count the refusals they report.
 *
 * The cases run concurrently (each with its own server): the rate limit
 * makes each take seconds of waiting, not of work.
 */
import { describe, it, type ExpectStatic } from 'vitest';
import { ChatClient } from '../../src/client/chat-client.js';
import { defaultTransports, type Transport, type TransportFactory } from '../../src/client/transports/index.js';
import type { OutgoingMessage } from '../../src/client/types.js';
import type { MessageEvent, Via } from '../../src/protocol/index.js';
import { newRoom, poll, startTestServer, withTimeout, type TestServerOptions } from '../helpers/index.js';

/** The real adapter for `via`, noting the cid of every send it reports refused with rate_limited. */
function counting(via: Via, refused: string[]): Partial<Record<Via, TransportFactory>> {
  const factory: TransportFactory = (options, handlers) => {
    const t = defaultTransports[via](options, handlers);
    const wrapped: Transport = {
      via: t.via,
      sendWindow: t.sendWindow,
      open: () => t.open(),
      rooms: () => t.rooms(),
      ping: () => t.ping(),
      close: () => t.close(),
      send: (m) =>
        t.send(m).catch((err: unknown) => {
          if (err instanceof Error && 'code' in err && err.code === 'rate_limited') refused.push(m.cid);
          throw err;
        }),
    };
    return wrapped;
  };
  return { [via]: factory };
}

interface Run {
  sent: OutgoingMessage[];
  stored: MessageEvent[];
  refused: string[];
}

/** Sends `count` messages from one client as fast as it will take them, waits for every ack, reads the room back. */
async function sendAll(via: Via, count: number, server: TestServerOptions): Promise<Run> {
  const srv = await startTestServer(server);
  const refused: string[] = [];
  const room = newRoom('order');
  const client = new ChatClient({ servers: [srv.url], room, nick: 'ann', via, transports: counting(via, refused) });
  try {
    await client.start();
    const sent = Array.from({ length: count }, (_, i) => client.send(`n${i + 1}`));
    await withTimeout(client.whenIdle(), 60_000, `${count} sends acked over ${via}`);
    const res = await poll(srv.url, room, { after: 0, timeout: 0 });
    const stored = res.body.events.filter((e): e is MessageEvent => e.type === 'message');
    return { sent, stored, refused };
  } finally {
    await client.stop();
    await srv.close();
  }
}

function expectInSendOrder(expect: ExpectStatic, run: Run): void {
  const { sent, stored } = run;
  expect(sent.every((m) => m.status === 'acked')).toBe(true);
  // Acks in send order carry rising seqs: one room, one sender, nothing else stored.
  expect(sent.map((m) => m.seq)).toEqual(sent.map((_, i) => i + 1));
  expect(stored.map((m) => m.text)).toEqual(sent.map((m) => m.text));
  expect(stored.map((m) => m.cid)).toEqual(sent.map((m) => m.cid));
}

describe.concurrent.each(['ws', 'sse', 'longpoll'] as Via[])('own sends over %s', (via) => {
  it('200 sent at once are all acked and stored in send order, never rate-limited', async ({ expect }) => {
    const run = await sendAll(via, 200, {});
    expectInSendOrder(expect, run);
    expect(run.refused).toEqual([]);
  });

  it('keep their order against a server whose rate limit is tighter than the pacing', async ({ expect }) => {
    // 10 per second sustained against the client's 19: refusals are certain after the burst.
    const run = await sendAll(via, 60, { rateLimit: { burst: 40, perSecond: 10 } });
    expect(run.refused.length).toBeGreaterThan(0);
    expectInSendOrder(expect, run);
  });
});
