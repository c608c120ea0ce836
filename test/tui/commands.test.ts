import { describe, expect, test } from 'vitest';
import { parseCommand } from '../../src/tui/commands.js';
import { formatMs, mentions, nickColor, splitMentions } from '../../src/tui/format.js';

describe('parseCommand', () => {
  test.each([
    ['', { kind: 'empty' }],
    ['   ', { kind: 'empty' }],
    ['hello there', { kind: 'say', text: 'hello there' }],
    ['  padded  ', { kind: 'say', text: 'padded' }],
    ['//not a command', { kind: 'say', text: '/not a command' }],
    ['/help', { kind: 'help' }],
    ['/HELP', { kind: 'help' }],
    ['/?', { kind: 'help' }],
    ['/who', { kind: 'who' }],
    ['/latency', { kind: 'latency' }],
    ['/quit', { kind: 'quit' }],
    ['/exit', { kind: 'quit' }],
    ['/me waves  at all', { kind: 'me', text: '/me waves  at all' }],
    ['/me', { kind: 'invalid', message: 'usage: /me ACTION' }],
    ['/nick bob', { kind: 'nick', nick: 'bob' }],
    ['/nick  Zoë Ω ', { kind: 'nick', nick: 'Zoë Ω' }],
    ['/nick', { kind: 'invalid', message: 'usage: /nick NAME' }],
    ['/join ops', { kind: 'join', room: 'ops' }],
    ['/join #ops', { kind: 'join', room: 'ops' }],
    ['/join', { kind: 'invalid', message: 'usage: /join ROOM' }],
    ['/via ws', { kind: 'via', via: 'ws' }],
    ['/via SSE', { kind: 'via', via: 'sse' }],
    ['/via longpoll', { kind: 'via', via: 'longpoll' }],
    ['/via', { kind: 'invalid', message: 'usage: /via ws|sse|longpoll' }],
    ['/via carrier-pigeon', { kind: 'invalid', message: 'usage: /via ws|sse|longpoll' }],
    ['/frobnicate now', { kind: 'unknown', name: 'frobnicate' }],
  ])('%j', (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  test('invalid nick and room names are refused with the protocol reason', () => {
    expect(parseCommand('/nick ' + 'x'.repeat(33))).toEqual({
      kind: 'invalid',
      message: 'nick must be 1..32 characters',
    });
    expect(parseCommand('/nick a\u200bb')).toMatchObject({ kind: 'invalid' });
    expect(parseCommand('/join Not_Lower')).toEqual({
      kind: 'invalid',
      message: 'room must match ^[a-z0-9][a-z0-9_-]{0,63}$',
    });
  });
});

describe('format helpers', () => {
  test('nick colours are stable and spread', () => {
    expect(nickColor('ann')).toBe(nickColor('ann'));
    const colours = new Set(['ann', 'bob', 'cid', 'dee', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jon'].map(nickColor));
    expect(colours.size).toBeGreaterThan(3);
  });

  test('mentions are whole words in any case, with regex characters taken literally', () => {
    expect(mentions('hey Ann, look', 'ann')).toBe(true);
    expect(mentions('joanna', 'ann')).toBe(false);
    expect(mentions('ann_x', 'ann')).toBe(false);
    expect(mentions('a.b is here', 'a.b')).toBe(true);
    expect(mentions('axb is here', 'a.b')).toBe(false);
    expect(splitMentions('ann and ANN.', 'ann')).toEqual([
      { text: 'ann', mention: true },
      { text: ' and ', mention: false },
      { text: 'ANN', mention: true },
      { text: '.', mention: false },
    ]);
    expect(splitMentions('nothing', 'ann')).toEqual([{ text: 'nothing', mention: false }]);
  });

  test('latency figures', () => {
    expect([formatMs(undefined), formatMs(0.25), formatMs(9.94), formatMs(12.6), formatMs(-1)]).toEqual([
      '–',
      '0.3',
      '9.9',
      '13',
      '0.0',
    ]);
  });
});
