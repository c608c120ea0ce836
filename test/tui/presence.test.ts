import { describe, expect, test } from 'vitest';
import type { PresenceEvent, PresenceMember } from '../../src/protocol/index.js';
import { chatReducer, initialChatState } from '../../src/tui/state/chat-reducer.js';
import { presenceDiff } from '../../src/tui/state/presence-diff.js';
import type { ChatState, SystemLineData } from '../../src/tui/state/types.js';

const m = (nick: string, since: number, via: PresenceMember['via'] = 'ws'): PresenceMember => ({ nick, via, since });

describe('presenceDiff', () => {
  test('joins and leaves', () => {
    const [ann, bob] = [m('ann', 1), m('bob', 2)];
    expect(presenceDiff([ann], [ann, bob])).toEqual({ joined: [bob], left: [], renamed: [] });
    expect(presenceDiff([ann, bob], [bob])).toEqual({ joined: [], left: [ann], renamed: [] });
  });

  test('a member that left and one that joined with the same since and via is a rename', () => {
    expect(presenceDiff([m('ann', 1, 'longpoll'), m('bob', 2)], [m('annie', 1, 'longpoll'), m('bob', 2)])).toEqual({
      joined: [],
      left: [],
      renamed: [{ from: 'ann', to: 'annie' }],
    });
    // Another since or another transport: two people, one who left and one who came.
    expect(presenceDiff([m('ann', 1)], [m('annie', 3)]).renamed).toEqual([]);
    expect(presenceDiff([m('ann', 1, 'sse')], [m('annie', 1, 'ws')]).renamed).toEqual([]);
  });

  test('the same nick on another transport (a /via switch) is no news; two members with one nick are two', () => {
    expect(presenceDiff([m('ann', 1, 'ws')], [m('ann', 1, 'sse')])).toEqual({ joined: [], left: [], renamed: [] });
    const [first, second] = [m('ann', 1), m('ann', 7)];
    expect(presenceDiff([first], [first, second])).toEqual({ joined: [second], left: [], renamed: [] });
  });
});

function start(nick = 'cy'): ChatState {
  return initialChatState({ server: 's', room: 'lobby', nick, via: 'ws' });
}

function apply(s: ChatState, ...events: PresenceEvent[]): ChatState {
  return chatReducer(s, { type: 'client', now: 0, events: events.map((presence) => ({ kind: 'presence', presence })) });
}

const p = (version: number, members: PresenceMember[], extra: Partial<PresenceEvent> = {}): PresenceEvent => ({
  type: 'presence',
  room: 'lobby',
  version,
  members,
  ...extra,
});
const systems = (s: ChatState): string[] =>
  s.lines.filter((l): l is SystemLineData => l.kind === 'system').map((l) => l.text);

describe('presence in the state', () => {
  test('"ann is now annie" for others; nothing more for one\'s own rename (already said)', () => {
    let s = apply(start(), p(1, [m('ann', 1, 'longpoll'), m('cy', 2)]), p(2, [m('annie', 1, 'longpoll'), m('cy', 2)]));
    s = chatReducer(s, { type: 'nick', nick: 'cyd' });
    s = apply(s, p(3, [m('annie', 1, 'longpoll'), m('cyd', 2)]));
    expect(systems(s)).toEqual(['in #lobby: ann, cy (2)', 'ann is now annie']);
  });

  test('count and truncated: the count is online, no list to compare, no join or leave lines', () => {
    let s = apply(start(), p(1, [], { count: 18211, truncated: true }));
    expect([s.online, s.truncated, s.members]).toEqual([18211, true, []]);
    s = apply(s, p(2, [], { count: 18190, truncated: true }), p(3, [m('a', 1), m('b', 2)], { count: 2 }));
    expect([s.online, s.truncated]).toEqual([2, false]);
    expect(systems(s)).toEqual(['in #lobby: 18,211 online (/who lists them)']);
  });

  test("without count (a 1.0 server) the list's length is the count; a long first list is counted, not named", () => {
    const many = Array.from({ length: 11 }, (_, i) => m(`u${i}`, i));
    const s = apply(start(), p(1, many));
    expect(s.online).toBe(11);
    expect(systems(s)).toEqual(['in #lobby: 11 online (/who lists them)']);
  });

  test('joining another room forgets the count', () => {
    const s = chatReducer(apply(start(), p(1, [], { count: 5000, truncated: true })), {
      type: 'rooms/add',
      room: 'ops',
      activate: true,
    });
    expect([s.online, s.truncated, s.members]).toEqual([undefined, false, undefined]);
  });
});
