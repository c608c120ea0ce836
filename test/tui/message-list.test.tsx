import './force-color.js';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEYS, mount } from './harness.js';
import { BG, lineWith, stripSgr, styleAt } from './sgr.js';
import { CLEAR_ALL } from '../../src/tui/terminal.js';

afterEach(() => cleanup());

const count = (hay: string, needle: string): number => hay.split(needle).length - 1;

describe('message list', () => {
  test('an own message is dimmed and marked while pending, then normal once acked', async () => {
    const ui = mount();
    ui.client.setState({ name: 'online', via: 'ws', server: 'http://127.0.0.1:7878' });
    await ui.type('hello world');
    await ui.type(KEYS.enter);
    await ui.until((f) => f.includes('» ann: hello world (sending…)'), 'the pending line');
    expect(styleAt(lineWith(ui.raw(), 'hello world'), 'hello world').dim).toBe(true);

    ui.client.ack('c1', 1);
    await ui.until((f) => f.includes('» ann: hello world') && !f.includes('sending…'), 'the acked line');
    expect(styleAt(lineWith(ui.raw(), 'hello world'), 'hello world').dim).toBe(false);

    // Its echo from the stream replaces it: still one line, now in the history.
    ui.client.deliver({ seq: 1, nick: 'ann', text: 'hello world', cid: 'c1' }, true);
    await ui.until((f) => count(f, 'hello world') === 1 && /\d\d:\d\d:\d\d » ann: hello world\n/.test(f), 'the echo');
    expect(styleAt(lineWith(ui.raw(), 'hello world'), 'hello world').dim).toBe(false);
  });

  test('mentions of the own nick are highlighted, other words and own lines are not', async () => {
    const ui = mount();
    ui.client.deliver({ seq: 1, nick: 'bob', text: 'ping ann, joanna' });
    ui.client.deliver({ seq: 2, nick: 'ann', text: 'ann talks' }, true);
    await ui.until((f) => f.includes('ann talks'), 'both lines');
    const mention = lineWith(ui.raw(), 'ping ann');
    expect(stripSgr(mention)).toMatch(/^\d\d:\d\d:\d\d ! bob: ping ann, joanna$/);
    expect(styleAt(mention, 'ann', 'ping ').bg).toBe(BG.yellow);
    expect(styleAt(mention, 'ping').bg).toBeUndefined();
    expect(styleAt(mention, 'joanna').bg).toBeUndefined();
    expect(styleAt(lineWith(ui.raw(), 'ann talks'), 'ann', 'ann: ').bg).toBeUndefined();
  });

  test('/me texts render as actions', async () => {
    const ui = mount();
    ui.client.deliver({ seq: 1, nick: 'bob', text: '/me waves' });
    await ui.until((f) => /\d\d:\d\d:\d\d {3}\* bob waves/.test(f), 'the action line');
  });

  test('control sequences in nick, text, warnings and presence are shown escaped, never raw', async () => {
    const ui = mount();
    const evil = '\x1b[2J\x1b]0;pwned\x07\u009b31m\r\x08\x00';
    ui.client.deliver({ seq: 1, nick: `ev${evil}il`, text: `clear${evil}screen\x1b[31mred\ttab\nnext` });
    ui.client.emit('warning', `server said ${evil}`);
    ui.client.emit('presence', {
      type: 'presence',
      room: 'lobby',
      version: 1,
      members: [{ nick: `m${evil}`, via: 'ws', since: 0 }],
    });
    await ui.until((f) => f.includes('server said') && f.includes('in #lobby'), 'the lines');
    await ui.type('/who');
    await ui.type(KEYS.enter);
    const plain = await ui.until((f) => f.includes('1 online'), 'the who panel');
    const escaped = '\\e[2J\\e]0;pwned\\x07\\x9b31m\\r\\x08\\x00';
    expect(plain).toContain(`ev${escaped}il:`);
    // The text wraps into continuation rows (and its newline starts one): joined, it is all there.
    const joined = plain.replace(/\n {9}┆ /g, '');
    expect(joined).toContain(`clear${escaped}screen\\e[31mred    tabnext`);
    expect(plain).toContain(`server said ${escaped}`);
    expect(plain).toContain(`in #lobby: m${escaped}`);
    // The who panel lists the member too (its narrow column wraps the rest).
    expect(count(plain, 'm\\e[2J')).toBe(2);
    // Colour codes aside, nothing below 0x20 but newlines, and no C1, reached the terminal.
    // eslint-disable-next-line no-control-regex
    expect(plain).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  });

  test('history is written once; PgUp shows a window of older lines and holds new output until End', async () => {
    const ui = mount();
    for (let i = 1; i <= 60; i++)
      ui.client.deliver({ seq: i, nick: 'bob', text: i === 30 ? 'line-30.\nsecond row' : `line-${i}.` });
    await ui.until((f) => f.includes('line-60.'), 'the history');
    expect(count(ui.frame(), 'line-1.')).toBe(1);

    await ui.type(KEYS.pageUp);
    let f = await ui.until((x) => x.includes('scrolled back'), 'the scrollback window');
    const window = f.slice(f.indexOf('scrolled back'));
    const shown = [...window.matchAll(/line-(\d+)\./g)].map((m) => Number(m[1]));
    expect(shown.length).toBeGreaterThan(5);
    expect(shown).toEqual(shown.map((_, i) => (shown[0] ?? 0) + i));
    expect(shown.at(-1)).toBeLessThan(60);
    // A multi-line message takes one row in the window (its newline shown escaped).
    expect(shown).toContain(30);
    expect(window).toContain('line-30.\\nsecond row');

    // New lines while scrolled back wait; the window stays on the same lines.
    ui.client.deliver({ seq: 61, nick: 'bob', text: 'line-61.' });
    f = await ui.until(
      (x) => x.includes('scrolled back') && /scrolled back \d+ lines/.test(x) && !x.includes('line-61.'),
      'held output',
    );
    await ui.until((x) => {
      const w = x.slice(x.indexOf('scrolled back'));
      return [...w.matchAll(/line-(\d+)\./g)].map((m) => Number(m[1]))[0] === shown[0];
    }, 'the same window');

    // Leaving the window repaints: the terminal is cleared and the history written again, once
    // (the test terminal keeps Ink's copies, so the tmux tests count lines in a real terminal).
    const clearsBefore = ui.frames().filter((x) => x === CLEAR_ALL).length;
    await ui.type(KEYS.end);
    f = await ui.until((x) => !x.includes('scrolled back') && x.includes('line-61.'), 'the live end');
    expect(ui.frames().filter((x) => x === CLEAR_ALL).length).toBe(clearsBefore + 1);
    const repainted = f.slice(f.lastIndexOf('line-1.'));
    for (const n of [1, 30, 59, 60, 61]) expect(count(repainted, `line-${n}.`)).toBe(1);
  });
});
