import { describe, expect, test } from 'vitest';
import { initialChatState } from '../../src/tui/state/chat-reducer.js';
import type { MessageLineData } from '../../src/tui/state/types.js';
import { SERVER, freeze, start, reduce, client, msg, out, member, systems, messages } from './reducer-support.js';

describe('client events', () => {
  test('state changes: a line for connected, lost, reconnected, offline; none per retry', () => {
    const online = { name: 'online', via: 'ws', server: SERVER } as const;
    const retry = (attempt: number) =>
      ({
        name: 'reconnecting',
        via: 'ws',
        server: SERVER,
        attempt,
        nextInMs: 500,
        at: 2_000,
        reason: 'socket closed',
      }) as const;
    let s = start();
    s = reduce(s, client({ kind: 'state', change: { oldState: s.connection, newState: online } }));
    expect(s.connection).toEqual(online);
    s = reduce(
      s,
      client(
        { kind: 'state', change: { oldState: online, newState: retry(1) } },
        { kind: 'state', change: { oldState: retry(1), newState: retry(2) } },
      ),
    );
    expect(s.connection).toEqual(retry(2));
    s = reduce(s, client({ kind: 'state', change: { oldState: retry(2), newState: { ...online, via: 'sse' } } }));
    expect(s.via).toBe('sse');
    s = reduce(
      s,
      client({ kind: 'state', change: { oldState: online, newState: { name: 'offline', reason: 'stopped' } } }),
    );
    expect(s.via).toBe('sse');
    expect(systems(s)).toEqual([
      `connected to ${SERVER} via ws`,
      'connection lost (socket closed); reconnecting',
      'reconnected via sse',
      'offline: stopped',
    ]);
    expect(s.lines.map((l) => l.id)).toEqual([1, 2, 3, 4]);
  });

  test('messages: own flag, mention (whole word, any case, not on own lines), /me action, other rooms ignored', () => {
    const s = reduce(
      start(),
      client(
        { kind: 'message', message: msg(1, 'bob', 'hi ANN!'), meta: { own: false, latencyMs: 3 } },
        { kind: 'message', message: msg(2, 'bob', 'hi joanna'), meta: { own: false } },
        { kind: 'message', message: msg(3, 'ann', 'ann here'), meta: { own: true } },
        { kind: 'message', message: msg(4, 'bob', '/me waves'), meta: { own: false } },
        { kind: 'message', message: { ...msg(5, 'bob', 'elsewhere'), room: 'other' }, meta: { own: false } },
      ),
    );
    const m = messages(s);
    expect(m.map((l) => [l.seq, l.own, l.mention, l.action])).toEqual([
      [1, false, true, false],
      [2, false, false, false],
      [3, true, false, false],
      [4, false, false, true],
    ]);
    expect(m[0]?.latencyMs).toBe(3);
    expect(m[0]?.ts).toBe(501);
  });

  test('own message: pending, then acked, then replaced by its line from the stream', () => {
    let s = reduce(start(), { type: 'sent', item: out('c1', 'hello') });
    expect(s.pending).toEqual([{ cid: 'c1', nick: 'ann', text: 'hello', queuedAt: 10, status: 'pending' }]);
    // Sending twice the same cid (a re-render) does not double it.
    expect(reduce(s, { type: 'sent', item: out('c1', 'hello') }).pending).toHaveLength(1);
    s = reduce(s, client({ kind: 'outbox', item: out('c1', 'hello', 'acked', 7) }));
    expect(s.pending[0]).toMatchObject({ status: 'acked', seq: 7 });
    s = reduce(s, client({ kind: 'message', message: msg(7, 'ann', 'hello', 'c1'), meta: { own: true } }));
    expect(s.pending).toEqual([]);
    expect(messages(s).map((l) => [l.seq, l.own, l.text])).toEqual([[7, true, 'hello']]);
  });

  test('own message seen in the stream before its ack: the late ack changes nothing', () => {
    let s = reduce(start(), { type: 'sent', item: out('c1', 'hello') });
    s = reduce(s, client({ kind: 'message', message: msg(1, 'ann', 'hello', 'c1'), meta: { own: true } }));
    const after = reduce(s, client({ kind: 'outbox', item: out('c1', 'hello', 'acked', 1) }));
    expect(after.pending).toEqual([]);
    expect(after.lines).toEqual(s.lines);
  });

  test('a failed send leaves pending and says why', () => {
    let s = reduce(start(), { type: 'sent', item: out('c1', 'x'.repeat(3)) });
    s = reduce(s, client({ kind: 'outbox', item: { ...out('c1', 'xxx', 'failed'), error: 'invalid_text' } }));
    expect(s.pending).toEqual([]);
    expect(s.lines).toMatchObject([{ kind: 'system', level: 'error', text: 'not sent (invalid_text): xxx' }]);
  });

  test('presence: first update lists members, later ones say who joined and left, big swings are summarised', () => {
    const p = (version: number, ...nicks: string[]) =>
      ({
        kind: 'presence',
        presence: { type: 'presence', room: 'lobby', version, members: nicks.map(member) },
      }) as const;
    let s = reduce(start(), client(p(1, 'ann', 'bob')));
    expect(s.members?.map((m) => m.nick)).toEqual(['ann', 'bob']);
    s = reduce(s, client(p(2, 'ann', 'cid')));
    s = reduce(s, client(p(3, 'ann', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6')));
    s = reduce(s, client({ kind: 'presence', presence: { type: 'presence', room: 'other', version: 9, members: [] } }));
    expect(s.members).toHaveLength(7);
    expect(systems(s)).toEqual([
      'in #lobby: ann, bob (2)',
      'cid joined (ws)',
      'bob left',
      '6 joined, 1 left (7 online)',
    ]);
  });

  test('gap and reset are surfaced; acked messages they skip become lines', () => {
    let s = reduce(
      start(),
      { type: 'sent', item: out('c1', 'lost in gap') },
      { type: 'sent', item: out('c2', 'after') },
    );
    s = reduce(
      s,
      client(
        { kind: 'outbox', item: out('c1', 'lost in gap', 'acked', 5) },
        { kind: 'outbox', item: out('c2', 'after', 'acked', 50) },
      ),
    );
    s = reduce(s, client({ kind: 'gap', gap: { type: 'gap', room: 'lobby', from: 3, to: 10 } }));
    expect(systems(s)).toEqual(['missed messages 3–10: the server no longer keeps them']);
    expect(messages(s).map((l) => [l.seq, l.text, l.own])).toEqual([[5, 'lost in gap', true]]);
    expect(s.pending.map((p) => p.cid)).toEqual(['c2']);
    s = reduce(s, client({ kind: 'reset', reset: { type: 'reset', room: 'lobby', epoch: 'e2', head: 17 } }));
    expect(systems(s)[1]).toBe('#lobby was reset (new epoch); its log starts over at 17');
    expect(s.pending).toEqual([]);
  });

  test('latency, via switch and warnings', () => {
    const latency = {
      rtt: { last: 1, avg: 2, p95: 3, samples: 4 },
      offsetMs: 5,
      delivery: { samples: 0 },
      ownRoundTrip: { samples: 0 },
    };
    const s = reduce(
      start(),
      client(
        { kind: 'latency', latency },
        { kind: 'via', from: undefined, to: 'ws' },
        { kind: 'via', from: 'ws', to: 'longpoll' },
        { kind: 'warning', text: 'server says hi' },
        {
          kind: 'hello',
          hello: {
            type: 'hello',
            protocol: 1,
            server: 'x',
            room: 'lobby',
            epoch: 'e',
            head: 0,
            time: 0,
            limits: { maxText: 4000, maxNick: 32 },
          },
        },
      ),
    );
    expect(s.latency).toEqual(latency);
    expect(s.via).toBe('longpoll');
    expect(s.lines).toMatchObject([
      { level: 'info', text: 'transport switched: ws → longpoll' },
      { level: 'warn', text: 'server says hi' },
    ]);
  });

  test('history is capped at maxLines; a scrolled-back reader keeps the same window', () => {
    let s = freeze(initialChatState({ server: SERVER, room: 'lobby', nick: 'ann', via: 'ws', maxLines: 10 }));
    const batch = (from: number, n: number) =>
      client(
        ...Array.from(
          { length: n },
          (_, i) => ({ kind: 'message', message: msg(from + i, 'bob', `m${from + i}`), meta: { own: false } }) as const,
        ),
      );
    s = reduce(s, batch(1, 8));
    s = reduce(s, { type: 'scroll', direction: 'up', pageSize: 3 });
    expect(s.scrollOffset).toBe(3);
    s = reduce(s, batch(9, 2));
    expect(s.scrollOffset).toBe(5);
    s = reduce(s, batch(11, 5));
    expect(s.lines.map((l) => (l as MessageLineData).seq)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(s.scrollOffset).toBe(9);
    expect(s.nextLineId).toBe(16);
  });
});
