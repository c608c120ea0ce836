/** Finding URLs for OSC 8 links, what is never a link, and who decides that the terminal shows links. */
import { afterEach, describe, expect, test } from 'vitest';
import { escapeTerminal } from '../../src/protocol/index.js';
import { hyperlinksAllowed } from '../../src/tui/links.js';
import { findUrls, linkSegments, MAX_URL_LENGTH, osc8, safeUrl } from '../../src/tui/text/hyperlinks.js';
import { displayWidth } from '../../src/tui/text/width.js';
import { KeyDecoder, type KeyEvent } from '../../src/tui/input/key-decoder.js';

const urls = (text: string): string[] => findUrls(escapeTerminal(text)).map((u) => u.url);

describe('finding URLs', () => {
  test.each([
    ['see https://example.com/a.', ['https://example.com/a']],
    [
      '(https://en.wikipedia.org/wiki/Foo_(bar)) and http://x.org/?a=1,',
      ['https://en.wikipedia.org/wiki/Foo_(bar)', 'http://x.org/?a=1'],
    ],
    ['<https://example.com/x> "https://example.com/y"', ['https://example.com/x', 'https://example.com/y']],
    ['HTTPS://EXAMPLE.COM/Path', ['HTTPS://EXAMPLE.COM/Path']],
    ['見て https://example.com/a。', ['https://example.com/a']],
    ['ftp://example.com javascript:alert(1) https:// http:///x', []],
    ['xhttps://example.com', []],
  ])('%j links %j', (text, expected) => {
    expect(urls(text)).toEqual(expected);
  });

  test.each([
    ['an ESC inside', 'https://example.com/\x1b]8;;https://evil.example/\x07x'],
    ['a BEL inside', 'https://example.com/\x07'],
    ['a C1 string terminator inside', 'https://example.com/\x9cx'],
    ['a non-ASCII letter', 'https://example.com/größe'],
    ['a backslash', 'https://example.com/a\\b'],
    ['a brace', 'https://example.com/{x}'],
  ])('a URL with %s is no link at all', (_what, text) => {
    expect(urls(text)).toEqual([]);
  });

  test('a URL longer than the limit stays text', () => {
    const at = (n: number) => `https://example.com/${'a'.repeat(n - 20)}`;
    expect(urls(at(MAX_URL_LENGTH))).toHaveLength(1);
    expect(urls(at(MAX_URL_LENGTH + 1))).toEqual([]);
    expect(safeUrl('https://example.com/\x1b')).toBe(false);
  });

  test('the sequences take no columns: the width is the text width', () => {
    expect(displayWidth(osc8('https://example.com/a(b)!*$,+;=', 'link'))).toBe(4);
  });
});

describe('link segments', () => {
  test('split at URL ends, a mention inside a URL keeps its highlight, the text is unchanged', () => {
    const segments = [
      { text: 'go https://x.org/', mention: false },
      { text: 'ann', mention: true },
      { text: '/page now', mention: false },
    ];
    const out = linkSegments(segments);
    expect(out.map((s) => s.text).join('')).toBe('go https://x.org/ann/page now');
    expect(out).toEqual([
      { text: 'go ', mention: false },
      { text: 'https://x.org/', mention: false, link: 'https://x.org/ann/page' },
      { text: 'ann', mention: true, link: 'https://x.org/ann/page' },
      { text: '/page', mention: false, link: 'https://x.org/ann/page' },
      { text: ' now', mention: false },
    ]);
  });
});

describe('deciding that the terminal shows links', () => {
  const saved = { ...process.env };
  // In place, never `process.env = …`: supports-color keeps the object it found at import.
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) Reflect.deleteProperty(process.env, k);
    Object.assign(process.env, saved);
  });
  const tty = { isTTY: true };

  test('FORCE_HYPERLINK decides first, as supports-hyperlinks reads it', () => {
    expect(hyperlinksAllowed({ isTTY: false }, { FORCE_HYPERLINK: '1' })).toBe(true);
    expect(hyperlinksAllowed(tty, { FORCE_HYPERLINK: '0', TERM_PROGRAM: 'WezTerm' })).toBe(false);
    expect(hyperlinksAllowed({ isTTY: false }, { FORCE_HYPERLINK: 'yes' })).toBe(true);
  });

  test('never on a pipe or under TERM=dumb', () => {
    expect(hyperlinksAllowed({ isTTY: false }, { TERM: 'xterm-kitty' })).toBe(false);
    expect(hyperlinksAllowed(tty, { TERM: 'dumb', TERM_PROGRAM: 'WezTerm' })).toBe(false);
  });

  test('on a terminal, the package knows which ones (kitty yes, an unknown xterm no)', () => {
    // The package reads process.env itself: a terminal known by TERM only.
    const others = ['FORCE_HYPERLINK', 'CI', 'TERM_PROGRAM', 'VTE_VERSION', 'WT_SESSION', 'NETLIFY'];
    for (const k of others) Reflect.deleteProperty(process.env, k);
    process.env.FORCE_COLOR = '1';
    process.env.TERM = 'xterm-kitty';
    expect(hyperlinksAllowed(tty, process.env)).toBe(true);
    process.env.TERM = 'xterm-256color';
    expect(hyperlinksAllowed(tty, process.env)).toBe(false);
  });
});

describe('decoding Tab', () => {
  test('Tab and Shift+Tab (CSI Z) are keys named tab, Shift+Tab with shift', () => {
    const keys: KeyEvent[] = [];
    const decoder = new KeyDecoder((e) => keys.push(e));
    decoder.write('a\t\x1b[Z');
    decoder.close();
    expect(keys.map((e) => (e.kind === 'key' ? [e.key.name ?? e.key.text, e.key.shift] : e.kind))).toEqual([
      ['a', false],
      ['tab', false],
      ['tab', true],
    ]);
  });
});
