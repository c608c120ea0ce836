/** The room cursor list (docs/protocol.md 8.4): strict parsing, and format ∘ parse is the identity. */
import { describe, expect, it } from 'vitest';
import {
  ProtocolError,
  formatRoomCursors,
  parsePresenceVersions,
  parseRoomCursors,
  type RoomCursor,
} from '../../src/protocol/index.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProtocolError) return err.code;
    throw err;
  }
  return 'none';
}

describe('parseRoomCursors', () => {
  it('reads bare rooms, rooms with a position, and rooms with a position and an epoch', () => {
    expect(parseRoomCursors('lobby:41:e3f1a2b3c4d5e6f7,ops:7,dev')).toEqual([
      { room: 'lobby', after: 41, epoch: 'e3f1a2b3c4d5e6f7' },
      { room: 'ops', after: 7 },
      { room: 'dev' },
    ]);
    expect(parseRoomCursors('a:0')).toEqual([{ room: 'a', after: 0 }]);
  });

  it.each([
    ['', 'bad_request'],
    [',', 'bad_request'],
    ['lobby,', 'bad_request'],
    ['lobby,,ops', 'bad_request'],
    ['lobby:', 'bad_request'],
    ['lobby::e1', 'bad_request'],
    ['lobby:1:', 'bad_request'],
    ['lobby:-1', 'bad_request'],
    ['lobby:1.5', 'bad_request'],
    ['lobby:99999999999999999', 'bad_request'],
    ['lobby:1:e:f', 'bad_request'],
    ['lobby:1:e f', 'bad_request'],
    ['lobby:1:e\nid: 9', 'bad_request'],
    ['lobby,ops,lobby', 'bad_request'],
    ['Lobby', 'invalid_room'],
    [' lobby', 'invalid_room'],
    ['lobby, ops', 'invalid_room'],
    ['-x', 'invalid_room'],
    ['a'.repeat(65), 'invalid_room'],
  ])('refuses %j with %s', (text, code) => {
    expect(codeOf(() => parseRoomCursors(text))).toBe(code);
  });

  it('counts the rooms against maxRooms before reading them (too_many)', () => {
    expect(codeOf(() => parseRoomCursors('a,b,c', { maxRooms: 2 }))).toBe('too_many');
    expect(codeOf(() => parseRoomCursors('A,B,C', { maxRooms: 2 }))).toBe('too_many');
    expect(parseRoomCursors('a,b', { maxRooms: 2 })).toHaveLength(2);
  });

  it('names the list in its messages', () => {
    expect(() => parseRoomCursors('x:y', { name: 'Last-Event-ID' })).toThrow(/^Last-Event-ID: /);
  });
});

describe('formatRoomCursors', () => {
  it('writes what parseRoomCursors reads back unchanged', () => {
    const list: RoomCursor[] = [
      { room: 'lobby', after: 45, epoch: 'e3f1a2b3c4d5e6f7' },
      { room: 'ops', after: 0 },
      { room: 'dev' },
    ];
    const text = formatRoomCursors(list);
    expect(text).toBe('lobby:45:e3f1a2b3c4d5e6f7,ops:0,dev');
    expect(parseRoomCursors(text)).toEqual(list);
  });

  it('leaves out an epoch without a position', () => {
    expect(formatRoomCursors([{ room: 'a', epoch: 'e1' }])).toBe('a');
  });

  it.each<[string, RoomCursor[]]>([
    ['an empty list', []],
    ['a bad room', [{ room: 'A' }]],
    ['a negative position', [{ room: 'a', after: -1 }]],
    ['a fractional position', [{ room: 'a', after: 1.5 }]],
    ['an epoch with a colon', [{ room: 'a', after: 1, epoch: 'x:y' }]],
    ['an epoch with a comma', [{ room: 'a', after: 1, epoch: 'x,y' }]],
  ])('refuses %s (bad_request)', (_what, list) => {
    expect(codeOf(() => formatRoomCursors(list))).toBe('bad_request');
  });
});

describe('parsePresenceVersions', () => {
  it('reads ROOM:VERSION items', () => {
    expect([...parsePresenceVersions('lobby:3,ops:0')]).toEqual([
      ['lobby', 3],
      ['ops', 0],
    ]);
    expect(parsePresenceVersions('').size).toBe(0);
  });

  it.each(['lobby', 'lobby:', 'lobby:x', 'lobby:1:2', 'A:1', 'a:1,a:2'])('refuses %j (bad_request)', (text) => {
    expect(codeOf(() => parsePresenceVersions(text))).toBe('bad_request');
  });
});
