/** Tab completion as pure functions: what completes where, in which order, and how Tab cycles. */
import { describe, expect, test } from 'vitest';
import {
  commandNames,
  completeStep,
  completionCandidates,
  matchesPrefix,
  type CompletionCycle,
  type CompletionSources,
} from '../../src/tui/input/complete.js';
import { completionSources, recentNicks } from '../../src/tui/input/completion-sources.js';
import { COMMAND_HELP } from '../../src/tui/commands.js';
import { client, msg, reduce, start } from './reducer-support.js';

const SOURCES: CompletionSources = {
  nicks: ['bob', 'Bea', 'carol', 'ann', 'bob'],
  commands: ['/help', '/join', '/nick', '/part', '/switch', '/msg', '/me'],
  rooms: ['lobby', 'ops', 'dev', 'lounge', '@bob'],
  self: 'ann',
};
const candidates = (value: string, cursor = value.length): string[] =>
  completionCandidates(value, cursor, SOURCES).candidates;

describe('what Tab offers', () => {
  test('a nick at the start of the line gets ": ", elsewhere a space; order kept, duplicates and self dropped', () => {
    expect(candidates('b')).toEqual(['bob: ', 'Bea: ']);
    expect(candidates('hi b')).toEqual(['bob ', 'Bea ']);
    expect(candidates('a')).toEqual([]);
    expect(candidates('hi @c')).toEqual(['@carol ']);
  });

  test('case-insensitive after NFKC: fullwidth and upper case letters match', () => {
    expect(candidates('ＢＯ')).toEqual(['bob: ']);
    expect(candidates('CA')).toEqual(['carol: ']);
    expect(matchesPrefix('Ｂob', 'b')).toBe(true);
  });

  test('a prefix must end on a cluster boundary of the nick: half a family emoji is no match', () => {
    const family = '👨‍👩‍👧';
    const nicks = { ...SOURCES, nicks: [`${family}dad`, 'e\u0301mile'] };
    expect(completionCandidates('👨', 2, nicks).candidates).toEqual([]);
    expect(completionCandidates(family, family.length, nicks).candidates).toEqual([`${family}dad: `]);
    // "e" is not the start of "é" (e + combining acute, NFKC-composed).
    expect(completionCandidates('e', 1, nicks).candidates).toEqual([]);
    expect(completionCandidates('é', 1, nicks).candidates).toEqual(['e\u0301mile: ']);
  });

  test('the first word after "/" completes command names, read from the help table', () => {
    expect(candidates('/jo')).toEqual(['/join ']);
    expect(candidates('/m')).toEqual(['/msg ', '/me ']);
    expect(candidates('//jo')).toEqual([]);
    expect(candidates('  /jo')).toEqual([]);
    const names = commandNames(COMMAND_HELP);
    expect(names).toContain('/join');
    expect(names).toContain('/via');
    expect(names.every((n) => /^\/[a-z]/.test(n))).toBe(true);
    expect(names).not.toContain('//text');
  });

  test('room names after /join, /switch and /part; a typed # is kept', () => {
    expect(candidates('/join lo')).toEqual(['lobby ', 'lounge ']);
    expect(candidates('/JOIN #o')).toEqual(['#ops ']);
    expect(candidates('/switch @')).toEqual(['@bob ']);
    expect(candidates('/part ')).toEqual(['lobby ', 'ops ', 'dev ', 'lounge ', '@bob ']);
    // Only the first argument is a room.
    expect(candidates('/join ops b')).toEqual(['bob ', 'Bea ']);
  });

  test('the aliases complete as their commands: /s a room, /query a nick; /msg @b keeps the @', () => {
    expect(candidates('/s lo')).toEqual(['lobby ', 'lounge ']);
    expect(candidates('/S #o')).toEqual(['#ops ']);
    expect(candidates('/query c')).toEqual(['carol ']);
    expect(candidates('/msg @c')).toEqual(['@carol ']);
  });

  test('/msg completes a nick; the word is the one before the cursor, the rest of the line stays', () => {
    expect(candidates('/msg c')).toEqual(['carol ']);
    const { start, candidates: c } = completionCandidates('hi ca there', 5, SOURCES);
    expect([start, c]).toEqual([3, ['carol ']]);
  });
});

describe('cycling', () => {
  const step = (value: string, cycle: CompletionCycle | undefined, dir: 'next' | 'prev' = 'next') =>
    completeStep(cycle?.shown ?? { value, cursor: value.length }, cycle, dir, SOURCES);

  test('repeated Tab cycles through the candidates and wraps; Shift+Tab goes back', () => {
    const one = step('b', undefined);
    expect(one?.shown).toEqual({ value: 'bob: ', cursor: 5 });
    const two = step('', one);
    expect(two?.shown.value).toBe('Bea: ');
    expect(step('', two)?.shown.value).toBe('bob: ');
    expect(step('', two, 'prev')?.shown.value).toBe('bob: ');
    // Shift+Tab first: from the last candidate.
    expect(step('b', undefined, 'prev')?.shown.value).toBe('Bea: ');
  });

  test('text after the cursor stays after the completion, without a second space', () => {
    const c = completeStep({ value: 'hi ca there', cursor: 5 }, undefined, 'next', SOURCES);
    expect(c?.shown).toEqual({ value: 'hi carol there', cursor: 8 });
    const glued = completeStep({ value: 'ca!', cursor: 2 }, undefined, 'next', SOURCES);
    expect(glued?.shown).toEqual({ value: 'carol: !', cursor: 7 });
  });

  test('an edited line starts a new cycle; nothing to complete gives undefined', () => {
    const one = step('b', undefined);
    expect(one).toBeDefined();
    const fresh = completeStep({ value: 'bob: c', cursor: 6 }, one, 'next', SOURCES);
    expect(fresh?.shown.value).toBe('bob: carol ');
    expect(step('zz', undefined)).toBeUndefined();
  });
});

describe('in the reducer', () => {
  test('recent speakers come first (newest first), then members; own lines and self are not offered', () => {
    let s = start({
      members: [
        { nick: 'bert', via: 'ws', since: 0 },
        { nick: 'ann', via: 'ws', since: 0 },
      ],
    });
    s = reduce(s, client({ kind: 'message', message: msg(1, 'bo', 'one'), meta: { own: false } }));
    s = reduce(s, client({ kind: 'message', message: msg(2, 'barb', 'two'), meta: { own: false } }));
    expect(recentNicks(s)).toEqual(['barb', 'bo', 'ann', 'bert']);
    expect(completionSources(s).rooms).toEqual(['lobby']);
    s = reduce(s, { type: 'input/insert', text: 'b' }, { type: 'input/complete', direction: 'next' });
    expect(s.input).toEqual({ value: 'barb: ', cursor: 6 });
    s = reduce(s, { type: 'input/complete', direction: 'next' }, { type: 'input/complete', direction: 'next' });
    expect(s.input.value).toBe('bert: ');
    s = reduce(s, { type: 'input/insert', text: 'hi' });
    expect(s.input.value).toBe('bert: hi');
    expect(s.completion).toBeUndefined();
  });

  test('Tab with nothing to complete leaves the state as it was', () => {
    const s = reduce(start(), { type: 'input/insert', text: 'zzz' });
    expect(reduce(s, { type: 'input/complete', direction: 'next' })).toBe(s);
  });
});
