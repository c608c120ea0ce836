/**
 * Typing as people type: clusters (emoji, families, combining accents) edited
 * as one character; keys that arrive in one read applied one by one; pastes
 * that arrive marked (bracketed paste) held by the paste guard when long.
 */
import './force-color.js';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { waitFor } from '../helpers/wait-for.js';
import { KEYS, mount, type Mounted } from './harness.js';

afterEach(() => cleanup());

const sent = (ui: Mounted): string[] => ui.client.sent.map((m) => m.text);

async function sends(ui: Mounted, expected: string[]): Promise<void> {
  const what = `${expected.length} sends (now ${JSON.stringify(sent(ui))})`;
  await waitFor(() => sent(ui).length >= expected.length, { what });
  expect(sent(ui)).toEqual(expected);
}

describe('editing by grapheme cluster', () => {
  test.each([
    ['an emoji', 'hi😀', 'hi'],
    ['a family (emoji joined by ZWJ)', 'ok👨‍👩‍👧', 'ok'],
    ['a letter with a combining accent', 'cafe\u0301', 'caf'],
    ['a flag (two regional indicators)', 'go🇫🇷', 'go'],
  ])('Backspace after %s removes it whole', async (_what, typed, left) => {
    const ui = mount();
    await ui.type(typed);
    await ui.type(KEYS.backspace);
    await ui.type(KEYS.enter);
    await sends(ui, [left]);
  });

  test('Left over an emoji, then typing, inserts before it; Delete at Home removes a family whole', async () => {
    const ui = mount();
    await ui.type('a😀b');
    await ui.type(KEYS.left);
    await ui.type(KEYS.left);
    await ui.type('x');
    await ui.type(KEYS.enter);
    await ui.type('👨‍👩‍👧z');
    await ui.type(KEYS.home);
    await ui.type(KEYS.delete);
    await ui.type(KEYS.enter);
    await sends(ui, ['ax😀b', 'z']);
  });

  test('word moves and deletes: Ctrl+Left, Alt+Backspace, Ctrl+W', async () => {
    const ui = mount();
    await ui.type('one two three');
    await ui.type(KEYS.ctrlLeft);
    await ui.type(KEYS.altBackspace);
    await ui.type(KEYS.enter);
    await ui.type('keep this gone');
    await ui.type(KEYS.ctrlW);
    await ui.type(KEYS.enter);
    await sends(ui, ['one three', 'keep this']);
  });

  test('the cursor is drawn on a whole cluster, and a long line scrolls instead of wrapping', async () => {
    const ui = mount();
    await ui.type('日本😀');
    await ui.type(KEYS.left);
    await ui.until((f) => f.includes('#lobby> 日本😀'), 'the line');
    // eslint-disable-next-line no-control-regex -- the inverse (SGR 7) escape is what is checked
    expect(ui.raw()).toMatch(/\x1b\[7m😀/);
    ui.resize(30, 20);
    await ui.until((f) => f.split('\n').every((l) => l.length < 30), 'the narrow layout');
    await ui.type(KEYS.end);
    await ui.type(' and then a much longer tail');
    const frame = await ui.until((f) => f.includes('longer tail'), 'the end of the line');
    const prompt = frame.split('\n').filter((l) => l.startsWith('#lobby> '));
    expect(prompt).toHaveLength(1);
    expect(prompt[0]).toMatch(/^#lobby> …/);
  });
});

describe('keys that arrive in one read', () => {
  test('"abcd" and two Backspaces in one read leave "ab"', async () => {
    const ui = mount();
    await ui.type('abcd\x7f\x7f');
    await ui.type(KEYS.enter);
    await sends(ui, ['ab']);
  });

  test('"x" and a Backspace in one read leave nothing; the next line is sent alone', async () => {
    const ui = mount();
    await ui.type('x\x7f');
    await ui.type('y\r');
    await sends(ui, ['y']);
  });

  test('text, an arrow and Enter in one read are applied in order', async () => {
    const ui = mount();
    await ui.type('ac\x1b[Db\r');
    await sends(ui, ['abc']);
  });
});

const paste = (text: string): string => `\x1b[200~${text}\x1b[201~`;
const twelve = Array.from({ length: 12 }, (_, i) => `row ${i + 1}`);

describe('pastes', () => {
  test('a few lines are sent line by line, as if typed; the last one without a newline stays', async () => {
    const ui = mount();
    await ui.type(paste('one\ntwo\nthree'));
    await sends(ui, ['one', 'two']);
    await ui.until((f) => f.includes('#lobby> three'), 'the last line in the input');
  });

  test('a long paste asks first; Enter sends one message per line', async () => {
    const ui = mount();
    await ui.type(paste(twelve.join('\n') + '\n'));
    const question = 'paste of 12 lines: Enter 12 messages · m one message · Esc cancel';
    await ui.until((f) => f.includes(question), 'the paste guard');
    expect(sent(ui)).toEqual([]);
    await ui.type(KEYS.enter);
    await sends(ui, twelve);
  });

  test('m sends the paste as one multi-line message; Esc cancels and keeps what was typed', async () => {
    const ui = mount();
    await ui.type('draft');
    // Marks and text split over several reads are still one paste.
    await ui.type('\x1b[200~' + twelve.slice(0, 6).join('\n'));
    await ui.type('\n' + twelve.slice(6).join('\n'));
    await ui.type('\x1b[201~');
    await ui.until((f) => f.includes('paste of 12 lines'), 'the paste guard');
    await ui.type('m');
    await sends(ui, [twelve.join('\n')]);
    await ui.type(paste(twelve.join('\r\n')));
    await ui.until((f) => f.includes('paste of 12 lines'), 'the guard again');
    await ui.type(KEYS.escape);
    await ui.until((f) => !f.includes('paste of') && f.includes('#lobby> draft'), 'the input back');
    expect(sent(ui)).toHaveLength(1);
  });

  test('a paste without the marks (a terminal without bracketed paste) is still held when long', async () => {
    const ui = mount();
    await ui.type(twelve.join('\r'));
    await ui.until((f) => f.includes('paste of 12 lines'), 'the paste guard');
    expect(sent(ui)).toEqual([]);
  });

  test('pasted lines are sent as text, never run as commands', async () => {
    const ui = mount();
    await ui.type(paste(['/quit', ...twelve.slice(1)].join('\n')));
    await ui.until((f) => f.includes('paste of 12 lines'), 'the paste guard');
    await ui.type(KEYS.enter);
    await sends(ui, ['/quit', ...twelve.slice(1)]);
    expect(ui.quits).toEqual([]);
  });
});
