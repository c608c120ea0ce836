/**
 * The rooms of the TUI as pure state: unread and mention counts per room, the
 * "new since you left" line, switching, and when the bell rings (never for
 * own messages, for what was read, or twice for one seq).
 */
import { describe, expect, test } from 'vitest';
import { initialChatState } from '../../src/tui/state/chat-reducer.js';
import type { ChatAction, ClientEvent } from '../../src/tui/state/actions.js';
import type { ChatState, RoomTab } from '../../src/tui/state/types.js';
import type { MessageEvent } from '../../src/protocol/index.js';
import { SERVER, freeze, reduce } from './reducer-support.js';

function three(extra: Partial<ChatState> = {}, markers: Record<string, number> = {}): ChatState {
  const rooms = ['lobby', 'ops', 'dm-1'].map((room) => ({
    room,
    ...(room === 'dm-1' ? { peer: 'bob' } : {}),
    ...(markers[room] === undefined ? {} : { readSeq: markers[room] }),
  }));
  return freeze({ ...initialChatState({ server: SERVER, room: 'lobby', rooms, nick: 'ann', via: 'ws' }), ...extra });
}

function m(room: string, seq: number, nick: string, text: string): MessageEvent {
  return { type: 'message', room, seq, nick, cid: `${room}-${seq}`, text, ts: 500 + seq };
}
const got = (message: MessageEvent, own = false): ClientEvent => ({ kind: 'message', message, meta: { own } });
const batch = (...events: ClientEvent[]): ChatAction => ({ type: 'client', events, now: 1_000 });
const hello = (room: string, head: number): ClientEvent => ({
  kind: 'hello',
  hello: {
    type: 'hello',
    protocol: 1,
    server: 'rtchat',
    room,
    epoch: 'e1',
    head,
    time: 0,
    limits: { maxText: 4000, maxNick: 32, history: 50 },
  } as never,
});
const tab = (s: ChatState, room: string): RoomTab => s.tabs.find((t) => t.room === room) as RoomTab;
const counts = (s: ChatState): string =>
  s.tabs.map((t) => `${t.room}:${t.unread}${t.mentions > 0 ? `!${t.mentions}` : ''}`).join(' ');
const texts = (s: ChatState): string[] =>
  s.lines.map((l) => (l.kind === 'message' ? `${l.seq} ${l.text}` : `-- ${l.text}`));

describe('unread and mention counts', () => {
  test('messages of other rooms count; own ones and the room being viewed do not; switching reads them', () => {
    let s = reduce(
      three(),
      batch(
        got(m('lobby', 1, 'bob', 'in view')),
        got(m('ops', 1, 'bob', 'one')),
        got(m('ops', 2, 'cy', 'ann: look')),
        got(m('ops', 3, 'ann', 'mine'), true),
        got(m('dm-1', 1, 'bob', 'psst')),
      ),
    );
    expect(counts(s)).toBe('lobby:0 ops:2!1 dm-1:1!1');
    expect(texts(s)).toEqual(['1 in view']);
    s = reduce(s, { type: 'rooms/switch', room: 'ops' });
    expect(s.room).toBe('ops');
    expect(texts(s)).toEqual(['1 one', '2 ann: look', '3 mine']);
    expect(counts(s)).toBe('lobby:0 ops:0 dm-1:1!1');
    expect(tab(s, 'ops').seenSeq).toBe(3);
    // The parked lobby keeps its lines, and gets them back on return.
    s = reduce(s, { type: 'rooms/switch', room: 'lobby' });
    expect(texts(s)).toEqual(['1 in view']);
  });

  test('the active room scrolled back counts too, until the reader is back at the bottom', () => {
    let s = reduce(
      three(),
      ...Array.from({ length: 30 }, (_, i) => batch(got(m('lobby', i + 1, 'bob', `l${i + 1}`)))),
      { type: 'scroll', direction: 'up', pageSize: 10 },
      batch(got(m('lobby', 31, 'bob', 'while away'))),
    );
    expect(counts(s)).toBe('lobby:1 ops:0 dm-1:0');
    expect(tab(s, 'lobby').seenSeq).toBe(30);
    s = reduce(s, { type: 'scroll', direction: 'bottom', pageSize: 1 });
    expect(counts(s)).toBe('lobby:0 ops:0 dm-1:0');
    expect(tab(s, 'lobby').seenSeq).toBe(31);
  });

  test('a marker from another machine lowers the counts; nothing at or below it counts', () => {
    let s = reduce(three({}, { ops: 40 }), batch(...[39, 40, 41, 42].map((n) => got(m('ops', n, 'bob', `ann ${n}`)))));
    expect(counts(s)).toBe('lobby:0 ops:2!2 dm-1:0');
    s = reduce(s, { type: 'rooms/marker', room: 'ops', seq: 41, epoch: 'e1' });
    expect(counts(s)).toBe('lobby:0 ops:1!1 dm-1:0');
    // Markers only move forward within an epoch.
    expect(reduce(s, { type: 'rooms/marker', room: 'ops', seq: 3, epoch: 'e1' })).toBe(s);
  });
});

describe('the "new since you left" line', () => {
  test('drawn once, before the first message after the marker, when the room has something new', () => {
    const s = reduce(
      three({}, { lobby: 40 }),
      batch(hello('lobby', 42), ...[39, 40, 41, 42].map((n) => got(m('lobby', n, 'bob', `t${n}`)))),
      batch(got(m('lobby', 43, 'bob', 'live'))),
    );
    expect(texts(s)).toEqual(['39 t39', '40 t40', '-- new since you left', '41 t41', '42 t42', '43 live']);
    expect(s.lines.filter((l) => l.kind === 'system' && l.divider === true)).toHaveLength(1);
  });

  test('not drawn when nothing is new at the first hello, nor later for live messages or on reconnect', () => {
    const s = reduce(
      three({}, { lobby: 40 }),
      batch(hello('lobby', 40), got(m('lobby', 40, 'bob', 't40'))),
      batch(got(m('lobby', 41, 'bob', 'live')), hello('lobby', 41)),
    );
    expect(texts(s)).toEqual(['40 t40', '41 live']);
  });

  test('not drawn in a room never read (no marker)', () => {
    const s = reduce(three(), batch(hello('lobby', 2), got(m('lobby', 1, 'bob', 'a')), got(m('lobby', 2, 'bob', 'b'))));
    expect(texts(s)).toEqual(['1 a', '2 b']);
  });
});

describe('switching', () => {
  test('by place (Alt+N), by step with wrap-around (Ctrl+N/P), by name, #name or @peer', () => {
    let s = three();
    const to = (a: ChatAction): string => (s = reduce(s, a)).room;
    expect(to({ type: 'rooms/switch', index: 2 })).toBe('dm-1');
    expect(to({ type: 'rooms/switch', index: 8 })).toBe('dm-1');
    expect(to({ type: 'rooms/switch', step: 1 })).toBe('lobby');
    expect(to({ type: 'rooms/switch', step: -1 })).toBe('dm-1');
    expect(to({ type: 'rooms/switch', step: -1 })).toBe('ops');
    expect(to({ type: 'rooms/switch', room: 'nowhere' })).toBe('ops');
    expect(s.paint).toBeGreaterThan(0);
  });

  test('adding a room switches to it (the old one stays); removing the active one hands over', () => {
    let s = reduce(three(), { type: 'system', text: 'hi', level: 'info', now: 1 });
    s = reduce(s, { type: 'rooms/add', room: 'dev', activate: true });
    expect([s.room, s.tabs.map((t) => t.room), s.lines]).toEqual(['dev', ['lobby', 'ops', 'dm-1', 'dev'], []]);
    s = reduce(s, { type: 'rooms/remove', room: 'dev' });
    expect([s.room, s.tabs.map((t) => t.room)]).toEqual(['dm-1', ['lobby', 'ops', 'dm-1']]);
    s = reduce(s, { type: 'rooms/remove', room: 'dm-1' }, { type: 'rooms/remove', room: 'ops' });
    expect([s.room, texts(s)]).toEqual(['lobby', ['-- hi']]);
    // The last room stays: /quit leaves it.
    expect(reduce(s, { type: 'rooms/remove', room: 'lobby' })).toBe(s);
  });
});

describe('the bell', () => {
  const alerts = (s: ChatState): number => s.alert?.id ?? 0;

  test('mentions mode: a mention and a DM ring, other messages and own ones do not', () => {
    const s0 = three();
    const other = reduce(s0, batch(got(m('ops', 1, 'bob', 'hello all'))));
    expect(other.alert).toBeUndefined();
    const own = reduce(s0, batch(got(m('ops', 1, 'ann', 'ann says ann'), true)));
    expect(own.alert).toBeUndefined();
    const mention = reduce(s0, batch(got(m('ops', 1, 'bob', 'hey Ann!'))));
    expect(mention.alert).toEqual({ id: 1, bell: true });
    const dm = reduce(s0, batch(got(m('dm-1', 1, 'bob', 'psst'))));
    expect(dm.alert).toEqual({ id: 1, bell: true });
    expect(dm.mentionLog.map((e) => `${e.room}/${e.seq}`)).toEqual(['dm-1/1']);
  });

  test("the account's own words from another client (its name as nick) neither ring nor count as a mention", () => {
    // `rtchat send --to bob` or a second terminal of ann: not this session's cid, but ann's own words.
    const s = reduce(three(), batch(got(m('dm-1', 1, 'ann', 'hi bob')), got(m('ops', 1, 'ann', 'ann here'))));
    expect([s.alert, s.mentionLog, tab(s, 'dm-1').mentions, tab(s, 'ops').mentions]).toEqual([undefined, [], 0, 0]);
  });

  test('all rings for any message from others; off never; one alert per batch', () => {
    const all = reduce(
      three(),
      { type: 'bell', mode: 'all' },
      batch(got(m('ops', 1, 'bob', 'a')), got(m('ops', 2, 'bob', 'b'))),
    );
    expect(all.alert).toEqual({ id: 1, bell: true });
    const off = reduce(three(), { type: 'bell', mode: 'off' }, batch(got(m('ops', 1, 'bob', 'ann!'))));
    expect(off.alert).toBeUndefined();
  });

  test('a replay at or below the read marker never rings; a seq rings at most once', () => {
    const replay = reduce(
      three({}, { ops: 40 }),
      batch(...[38, 39, 40].map((n) => got(m('ops', n, 'bob', `ann ${n}`)))),
    );
    expect(replay.alert).toBeUndefined();
    // After a restart the marker (stored while reading) stops the same mentions from ringing again.
    let s = reduce(three({}, { ops: 40 }), batch(got(m('ops', 41, 'bob', 'ann 41'))));
    expect(alerts(s)).toBe(1);
    s = reduce(s, batch(got(m('ops', 41, 'bob', 'ann 41'))));
    expect(alerts(s)).toBe(1);
    const restarted = reduce(three({}, { ops: 41 }), batch(got(m('ops', 41, 'bob', 'ann 41'))));
    expect(restarted.alert).toBeUndefined();
  });

  test('notifications: off by default; on, a mention gives a sanitized title and body, no replay', () => {
    const quiet = reduce(three(), batch(got(m('ops', 1, 'bob', 'ann'))));
    expect(quiet.alert?.notify).toBeUndefined();
    const evil = 'ann \x07\x1b]0;pwned\x07 \u202eevil';
    const s = reduce(
      three({}, { ops: 1 }),
      { type: 'notify', on: true },
      batch(got(m('ops', 1, 'x;y', 'ann old')), got(m('ops', 2, 'x;y', evil))),
    );
    expect(s.alert).toEqual({
      id: 1,
      bell: true,
      notify: { title: 'rtchat: x,y in #ops', body: 'ann   ]0;pwned   evil' },
    });
    expect(JSON.stringify(s.alert)).not.toMatch(/\\u0007|\\u001b|\\u202e/);
  });

  test('a BEL inside a message from the network is text, not an alert', () => {
    const s = reduce(three(), batch(got(m('ops', 1, 'bob', 'ding\x07ding'))));
    expect(s.alert).toBeUndefined();
  });
});
