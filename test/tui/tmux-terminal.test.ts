/**
 * The terminal client as people really use it, in a real terminal (tmux):
 * pastes taller than the window, resizes, panels opened and closed, narrow
 * windows, NO_COLOR and /nick. What is asserted is what a user sees: the
 * screen, and the terminal's whole history (every message exactly once).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Via } from '../../src/protocol/index.js';
import { newSession, postMessage, stopIfStarted } from '../helpers/index.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { ensureBuilt, joinCommand, occurrences, Tmux } from '../helpers/tmux.js';

const tmux = new Tmux();
let server: TestServer;
let sessions = 0;

beforeAll(async () => {
  expect(ensureBuilt(), 'dist/ is built').toBe(true);
  server = await startTestServer({ rateLimit: { burst: 1_000_000, perSecond: 1_000_000 } });
}, 120_000);

afterAll(async () => {
  await tmux.close();
  await stopIfStarted(server, (s) => s.close());
});

/** A pane of `columns` × `rows` running `rtchat join`, once it is online. */
interface JoinedPane {
  via: Via;
  nick: string;
  room: string;
  columns: number;
  rows: number;
  env?: Record<string, string>;
}

async function joined(o: JoinedPane): Promise<string> {
  const env = o.env === undefined ? {} : { env: o.env };
  const cmd = joinCommand({ url: server.url, via: o.via, nick: o.nick, args: [o.room], ...env });
  const pane = await tmux.session(`s${++sessions}`, o.columns, o.rows, cmd);
  // Type only once the UI owns the terminal, so keys are not echoed by the tty.
  await tmux.until(pane, (s) => /^● online /m.test(s), `${o.nick} online`);
  return pane;
}

async function post(room: string, texts: string[], nick = 'bob'): Promise<void> {
  const session = newSession();
  for (const text of texts) {
    const res = await postMessage(server.url, room, { nick, session, text });
    expect(res.status).toBe(201);
  }
}

const lines = (n: number, what: string): string[] => Array.from({ length: n }, (_, i) => `${what} ${i + 1} of ${n}`);

/** Rows that end with `text` (a message's text ends its row; a pending one is followed by "(sending…)"). */
const rowsEnding = (history: string, text: string): number =>
  occurrences(history, new RegExp(`${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));

/**
 * Each text once in the terminal's history and one status bar, once nothing
 * is on its way any more and the screen is drawn for its size (a resize is
 * followed by a repaint within a fraction of a second: it is waited for).
 */
async function expectHistoryOnce(pane: string, texts: string[]): Promise<string> {
  const settled = (h: string): boolean =>
    !h.includes('sending…') &&
    !h.includes('on the way') &&
    occurrences(h, '● online') === 1 &&
    texts.every((t) => rowsEnding(h, t) > 0);
  const history = await tmux.until(pane, settled, 'every line and one status bar in the history', { history: true });
  for (const t of texts) expect(rowsEnding(history, t), t).toBe(1);
  expect(occurrences(history, '● online'), 'status bars in the history').toBe(1);
  return history;
}

describe('a paste taller than the window', () => {
  test.each([
    ['ws', 22, 45],
    ['sse', 30, 60],
    ['longpoll', 22, 22],
  ] as const)(
    'over %s, %i rows, %i lines: each own line once in the history',
    async (via, rows, count) => {
      const room = `paste-${via}`;
      const pane = await joined({ via, nick: 'ann', room, columns: 80, rows });
      const pasted = lines(count, 'line');
      await tmux.paste(pane, pasted.join('\n') + '\n');
      // The paste guard asks first; Enter sends one message per line.
      const question = `paste of ${count} lines`;
      const first = pasted[0] ?? '';
      const asked = await tmux.until(pane, (s) => s.includes(question) || s.includes(first), 'the paste', {
        history: true,
      });
      if (asked.includes(question)) await tmux.keys(pane, 'Enter');
      await expectHistoryOnce(pane, pasted);
    },
    120_000,
  );
});

test('narrowing the window 120 → 60 → 40 leaves one status bar and each message once', async () => {
  const room = 'resize';
  await post(room, lines(30, 'before'));
  const pane = await joined({ via: 'ws', nick: 'ann', room, columns: 120, rows: 24 });
  await tmux.until(pane, (s) => s.includes('before 30 of 30'), 'the history');
  for (const columns of [60, 40]) {
    await tmux.resize(pane, columns);
    const fits = (s: string): boolean => s.split('\n').some((l) => l.startsWith('● online') && l.length <= columns);
    await tmux.until(pane, fits, `a status bar ${columns} wide`);
  }
  await post(room, ['after the resize']);
  await expectHistoryOnce(pane, [...lines(30, 'before'), 'after the resize']);
}, 120_000);

test('closing a panel or leaving scrollback keeps the conversation on the screen', async () => {
  const room = 'panels';
  await post(room, lines(40, 'talk'));
  const pane = await joined({ via: 'sse', nick: 'ann', room, columns: 80, rows: 24 });
  await tmux.until(pane, (s) => s.includes('talk 40 of 40'), 'the history');
  const conversation = (s: string): number => occurrences(s, /talk \d+ of 40$/m);
  for (const [open, shows, close] of [
    ['/help', 'Commands', 'Escape'],
    ['/who', '#panels: 1 online', '/who'],
    ['/latency', 'ping round trip', 'Escape'],
    ['', 'scrolled back', 'End'],
  ] as const) {
    if (open === '') await tmux.keys(pane, 'PageUp');
    else await tmux.type(pane, open, true);
    await tmux.until(pane, (s) => s.includes(shows) && s.includes('╭') === (open !== ''), `${open || 'PgUp'} open`);
    if (close.startsWith('/')) await tmux.type(pane, close, true);
    else await tmux.keys(pane, close);
    const closed = (s: string): boolean => !s.includes('╭') && !s.includes('scrolled back') && /^● online/m.test(s);
    const screen = await tmux.until(pane, closed, `${open || 'PgUp'} closed`);
    // The screen is the conversation again: its last lines, down to the newest.
    expect(conversation(screen), screen).toBeGreaterThanOrEqual(15);
    expect(screen).toContain('talk 40 of 40');
  }
  await expectHistoryOnce(pane, lines(40, 'talk'));
}, 120_000);

test('at 40 columns the prompt keeps the room whole; at 80 the status bar keeps the online count', async () => {
  const room = 'engineering-team';
  const pane = await joined({ via: 'ws', nick: 'ann', room, columns: 40, rows: 20 });
  const narrow = await tmux.until(pane, (s) => s.includes('#engineering-team> '), 'the whole prompt');
  expect(narrow).not.toMatch(/^team/m);
  expect(narrow).toMatch(/^● online .*│ 1 online$/m);
  await tmux.resize(pane, 80);
  const wideBar = /^● online │ ws │ #engineering-team as ann │ .*│ 1 online/m;
  const wide = await tmux.until(pane, (s) => wideBar.test(s), 'the wide status bar');
  const bar = wide.split('\n').find((l) => l.startsWith('● online')) ?? '';
  expect(bar.length).toBeLessThan(80);
  expect(bar).not.toContain('…');
}, 60_000);

test('NO_COLOR: no colours at all, while bold and inverse remain', async () => {
  const room = 'plain';
  await post(room, ['hi ann, plain text please']);
  // eslint-disable-next-line no-control-regex -- colour escapes are what is checked
  const colour = /\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|4[0-7]|10[0-7]|38;[25];|48;[25];)[0-9;]*m/;
  // Another nick: two present sessions cannot share one.
  const coloured = await joined({ via: 'ws', nick: 'cleo', room, columns: 80, rows: 20 });
  expect(await tmux.capture(coloured, { escapes: true })).toMatch(colour);
  const plain = await joined({ via: 'ws', nick: 'ann', room, columns: 80, rows: 20, env: { NO_COLOR: '1' } });
  const screen = await tmux.capture(plain, { escapes: true });
  expect(screen).toContain('plain text please');
  expect(screen).not.toMatch(colour);
  // The cursor and the mention still stand out (inverse).
  // eslint-disable-next-line no-control-regex -- the inverse (SGR 7) escape is what is checked
  expect(screen).toMatch(/\x1b\[(?:[0-9;]*;)?7(?:;[0-9;]*)?m/);
}, 60_000);

test('/nick over long polling: others see "ann is now annie" and the new nick in /who', async () => {
  const room = 'renames';
  const ann = await joined({ via: 'longpoll', nick: 'ann', room, columns: 80, rows: 20 });
  const bob = await joined({ via: 'ws', nick: 'bob', room, columns: 80, rows: 20 });
  await tmux.until(bob, (s) => s.includes('ann joined') || /in #renames: (?:.*, )?ann\b/.test(s), 'ann in the room');
  await tmux.type(ann, '/nick annie', true);
  await tmux.until(ann, (s) => s.includes('you are now annie'), 'the own confirmation');
  await tmux.until(bob, (s) => s.includes('-- ann is now annie'), 'the rename line');
  await tmux.type(bob, '/who', true);
  const who = await tmux.until(bob, (s) => /│ annie +longpoll/.test(s), 'annie in /who');
  expect(who).not.toMatch(/│ ann +longpoll/);
}, 60_000);
