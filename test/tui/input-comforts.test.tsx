/**
 * Input comforts in the drawn App: Tab completion in the input line, the
 * history handed in at start and out on Enter, and URLs as OSC 8 links.
 */
import './force-color.js';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { AppHistory } from '../../src/tui/app.js';
import { waitFor } from '../helpers/wait-for.js';
import { KEYS, mount, type Mounted } from './harness.js';
import { stripSgr } from './sgr.js';

afterEach(() => cleanup());

const sent = (ui: Mounted): string[] => ui.client.sent.map((m) => m.text);
const prompt = (ui: Mounted, text: string) => ui.until((f) => f.includes(`#lobby> ${text}`), `the line "${text}"`);

async function sends(ui: Mounted, expected: string[]): Promise<void> {
  await waitFor(() => sent(ui).length >= expected.length, { what: `sends ${JSON.stringify(expected)}` });
  expect(sent(ui)).toEqual(expected);
}

describe('Tab in the input line', () => {
  test('completes the newest speaker at the start of the line with ": "; Tab cycles, Shift+Tab goes back', async () => {
    const ui = mount();
    ui.client.deliver({ seq: 1, nick: 'bob', text: 'morning' });
    ui.client.deliver({ seq: 2, nick: 'Bea', text: 'hi all' });
    await ui.until((f) => f.includes('hi all'), 'the messages');
    await ui.type('b');
    await ui.type(KEYS.tab);
    await prompt(ui, 'Bea: ');
    await ui.type(KEYS.tab);
    await prompt(ui, 'bob: ');
    await ui.type(KEYS.shiftTab);
    await prompt(ui, 'Bea: ');
    await ui.type('welcome');
    await ui.type(KEYS.enter);
    await sends(ui, ['Bea: welcome']);
  });

  test('a nick inside the line gets a space; text and Tab in one read are applied in order', async () => {
    const ui = mount();
    ui.client.deliver({ seq: 1, nick: 'carol', text: 'hello' });
    await ui.until((f) => f.includes('hello'), 'the message');
    await ui.type('thanks ca\tfor it\r');
    await sends(ui, ['thanks carol for it']);
  });

  test('/jo completes to /join, and the room after it', async () => {
    const ui = mount();
    await ui.type('/jo');
    await ui.type(KEYS.tab);
    await prompt(ui, '/join ');
    await ui.type('lo');
    await ui.type(KEYS.tab);
    await prompt(ui, '/join lobby ');
    await ui.type(KEYS.backspace);
    await ui.type(KEYS.backspace);
    await ui.type(KEYS.backspace);
    await ui.type('ng');
    await ui.type(KEYS.enter);
    await waitFor(() => ui.client.calls.includes('add:lobng'), { what: 'the join' });
  });

  test('Tab with nothing to complete changes nothing', async () => {
    const ui = mount();
    await ui.type('zq');
    await ui.type(KEYS.tab);
    await ui.type('!');
    await prompt(ui, 'zq!');
  });
});

describe('the persistent history in the App', () => {
  test('lines from earlier runs come back with Up; each submitted line goes to the history as typed', async () => {
    const added: string[] = [];
    const history: AppHistory = {
      lines: ['from yesterday', 'last one'],
      add: async (typed) => {
        added.push(typed);
      },
    };
    const ui = mount({ app: { history } });
    await ui.type(KEYS.up);
    await prompt(ui, 'last one');
    await ui.type(KEYS.up);
    await prompt(ui, 'from yesterday');
    await ui.type(KEYS.enter);
    await ui.type('new line');
    await ui.type(KEYS.enter);
    await sends(ui, ['from yesterday', 'new line']);
    expect(added).toEqual(['from yesterday', 'new line']);
  });

  test('a history that cannot be written says so once, and the chat goes on', async () => {
    const history: AppHistory = { lines: [], add: () => Promise.reject(new Error('EROFS: read-only file system')) };
    const ui = mount({ app: { history } });
    await ui.type('one\r');
    await ui.type('two\r');
    await sends(ui, ['one', 'two']);
    const frame = await ui.until((f) => f.includes('input history not saved: EROFS'), 'the warning');
    expect(frame.split('input history not saved').length).toBe(2);
  });
});

// eslint-disable-next-line no-control-regex -- OSC 8 codes are what is checked
const OSC8_RE = /\x1b\]8;;([^\x07\x1b]*)\x07/g;
const plain = (raw: string): string => stripSgr(raw).replace(OSC8_RE, '');
const linkTargets = (raw: string): string[] => [...raw.matchAll(OSC8_RE)].map((m) => m[1] ?? '');

describe('URLs as OSC 8 hyperlinks', () => {
  const URL = 'https://example.com/docs?q=a+b&x=1#top';

  test('a URL is wrapped in OSC 8 when links are on, its text unchanged, sentence punctuation outside', async () => {
    const ui = mount({ app: { links: true } });
    ui.client.deliver({ seq: 1, nick: 'bob', text: `read ${URL}.` });
    await ui.until((f) => f.includes('read'), 'the message');
    const raw = ui.raw();
    expect(raw).toContain(`\x1b]8;;${URL}\x07`);
    expect(plain(raw)).toContain(`bob: read ${URL}.`);
    expect(linkTargets(raw).filter((t) => t !== '')).toEqual([URL]);
  });

  test('no OSC 8 at all when links are off (the default)', async () => {
    const ui = mount();
    ui.client.deliver({ seq: 1, nick: 'bob', text: `read ${URL}` });
    await ui.until((f) => f.includes(URL), 'the message');
    expect(ui.raw()).not.toContain('\x1b]8');
  });

  test('a URL with an escape in it is no link, and the escape shows as text', async () => {
    const ui = mount({ app: { links: true } });
    const attack = 'https://example.com/\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07';
    ui.client.deliver({ seq: 1, nick: 'mal', text: `see ${attack} and \x07` });
    await ui.until((f) => f.includes('mal:'), 'the message');
    const raw = ui.raw();
    expect(raw).not.toContain('\x1b]8');
    expect(raw).not.toContain('\x07');
    expect(plain(raw)).toContain('see https://example.com/\\e]8;;https://evil.example/\\x07click');
  });

  test('a long linked URL wraps by its visible width: every row fits, each part links to the whole URL', async () => {
    const ui = mount({ app: { links: true } });
    ui.resize(40, 20);
    await ui.until((f) => f.split('\n').every((l) => l.length < 40), 'the narrow layout');
    const long = `https://example.com/${'abcdefghij'.repeat(7)}`;
    ui.client.deliver({ seq: 1, nick: 'bob', text: `look ${long} ok` });
    await ui.until((f) => f.includes(' ok'), 'the message');
    const raw = ui.raw();
    const rows = plain(raw).split('\n');
    expect(rows.every((r) => r.length < 40)).toBe(true);
    expect(rows.join('')).toContain('abcdefghij'.repeat(2));
    const targets = linkTargets(raw).filter((t) => t !== '');
    expect(targets.length).toBeGreaterThanOrEqual(2);
    expect(new Set(targets)).toEqual(new Set([long]));
  });
});
