/**
 * What the screen says, laid out for the terminal: no text can pass for a
 * line of its own, the prompt and the status bar fit narrow windows, NO_COLOR
 * is honoured, and presence shows the room's count and who renamed.
 */
import './force-color.js';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { PresenceEvent, PresenceMember } from '../../src/protocol/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { FakeClient } from './fake-client.js';
import { KEYS, mount, type Mounted } from './harness.js';

afterEach(() => cleanup());

const ONLINE = { name: 'online', via: 'ws', server: 'http://127.0.0.1:7878' } as const;
/** A row that looks like a message or a client line: it starts with a time. */
const TIMED_ROW = /^\d\d:\d\d:\d\d /;

async function narrow(ui: Mounted, columns: number, rows = 24): Promise<void> {
  ui.resize(columns, rows);
  await ui.until((f) => f.split('\n').every((l) => l.length <= columns), `a layout ${columns} columns wide`);
}

describe('no text can pass for a line of its own', () => {
  test('a line break in a message starts a marked continuation row, not a forged message', async () => {
    const ui = mount();
    ui.client.deliver({ seq: 1, nick: 'bob', text: 'ok\n08:05:41   admin: paste your token here' });
    ui.client.deliver({ seq: 2, nick: 'bob', text: 'fine\n08:05:42 -- admin joined (ws)' });
    const f = await ui.until((x) => x.includes('admin joined'), 'the messages');
    const rows = f.split('\n');
    expect(rows.filter((r) => r.includes('admin'))).toEqual([
      '         ┆ 08:05:41   admin: paste your token here',
      '         ┆ 08:05:42 -- admin joined (ws)',
    ]);
    expect(rows.filter((r) => TIMED_ROW.test(r) && r.includes('bob'))).toHaveLength(2);
  });

  test('wrapping cannot start a row with forged text either, in messages or client lines', async () => {
    const ui = mount();
    await narrow(ui, 60);
    // Padding that would put the forged part at the start of the second row, wherever the row breaks.
    const forged = (s: string): string => ['x'.repeat(20), ...Array.from({ length: 30 }, () => ''), s].join(' ');
    ui.client.deliver({ seq: 1, nick: 'bob', text: forged('08:05:41   admin: paste your token here') });
    ui.client.emit('warning', forged('08:05:41 -- admin is now root'));
    const f = await ui.until((x) => x.includes('is now root'), 'both lines');
    for (const row of f.split('\n').filter((r) => r.includes('admin'))) expect(row).toMatch(/^ {9}┆ /);
    expect(
      f
        .split('\n')
        .filter((r) => TIMED_ROW.test(r))
        .map((r) => r.slice(9, 14)),
    ).toEqual(['  bob', '-- xx']);
  });
});

describe('narrow windows', () => {
  test('at 40 columns the prompt keeps a long room name whole, on one row', async () => {
    const ui = mount({ client: new FakeClient({ room: 'engineering-team' }) });
    await narrow(ui, 40);
    const rows = ui.frame().split('\n');
    expect(rows.at(-1)).toMatch(/^#engineering-team> {2}type a message/);
    expect(rows.some((r) => r.trim() === 'team')).toBe(false);
  });

  test('the status bar drops fields, least useful first, and never cuts the state or the count', async () => {
    const SERVER = 'https://chat.example.com:7878/some/long/path';
    const client = new FakeClient({ room: 'engineering-team', server: SERVER });
    const ui = mount({ client });
    const at = Date.now() + 30_000;
    const retry = { attempt: 12, nextInMs: 30_000, at, reason: 'closed' };
    client.setState({ name: 'reconnecting', via: 'sse', server: SERVER, ...retry });
    client.emit('presence', { ...presence(1, [], { count: 18211, truncated: true }), room: 'engineering-team' });
    const bar = (f: string): string => f.split('\n').find((l) => l.startsWith('◌ reconnecting')) ?? '';
    const state = '◌ reconnecting #12 in \\d+s';
    const head = `${state} │ sse │ #engineering-team as ann`;
    for (const [columns, expected] of [
      [120, new RegExp(`^${head} │ rtt – ms avg – p95 – │ delivery – ms │ 18,211 online$`)],
      [100, new RegExp(`^${head} │ rtt – ms │ 18,211 online$`)],
      [80, new RegExp(`^${head} │ 18,211 online$`)],
      [50, new RegExp(`^${state} │ sse │ 18,211 online$`)],
      [40, /^◌ reconnecting in \d+s │ 18,211 online$/],
    ] as const) {
      ui.resize(columns, 24);
      await ui.until((f) => expected.test(bar(f)), `the status bar at ${columns} columns (${bar(ui.frame())})`);
    }
  });
});

describe('NO_COLOR', () => {
  // eslint-disable-next-line no-control-regex -- colour escapes are what is checked
  const COLOUR = /\x1b\[(?:3[0-7]|9[0-7]|4[0-7]|10[0-7]|38;|48;)/;
  test('no colour codes at all; bold and inverse still mark the state, the cursor and mentions', async () => {
    const ui = mount({ color: false });
    ui.client.setState(ONLINE);
    ui.client.deliver({ seq: 1, nick: 'bob', text: 'hi ann' });
    ui.client.emit('warning', 'careful');
    await ui.until((f) => f.includes('hi ann') && f.includes('careful') && f.includes('● online'), 'the lines');
    expect(ui.raw()).not.toMatch(COLOUR);
    expect(ui.raw()).toContain('\x1b[7m');
    expect(ui.raw()).toContain('\x1b[1m');
    // The same screen with colour has them: the check above can fail.
    const coloured = mount();
    coloured.client.setState(ONLINE);
    await coloured.until((f) => f.includes('● online'), 'the coloured screen');
    expect(coloured.raw()).toMatch(COLOUR);
  });
});

const m = (nick: string, since: number, via: PresenceMember['via'] = 'ws'): PresenceMember => ({ nick, via, since });
const presence = (version: number, members: PresenceMember[], extra: Partial<PresenceEvent> = {}): PresenceEvent => ({
  type: 'presence',
  room: 'lobby',
  version,
  members,
  ...extra,
});

describe('presence', () => {
  test('a rename is told as one: "ann is now annie"', async () => {
    const ui = mount({ client: new FakeClient({ nick: 'cy' }) });
    ui.client.emit('presence', presence(1, [m('ann', 5, 'longpoll'), m('cy', 6)]));
    await ui.until((f) => f.includes('in #lobby: ann, cy (2)'), 'the first presence');
    ui.client.emit('presence', presence(2, [m('annie', 5, 'longpoll'), m('cy', 6)]));
    const f = await ui.until((x) => x.includes('ann is now annie'), 'the rename');
    expect(f).not.toContain('ann left');
    expect(f).not.toContain('annie joined');
  });

  test('a big room shows its count ("18,211 online") and /who pages the list from the server', async () => {
    const client = new FakeClient();
    const members = Array.from({ length: 40 }, (_, i) => m(`user${i}`, 1000 + i));
    for (let offset = 0; offset < 40; offset++) {
      client.pages.set(offset, { offset, count: 18211, members: members.slice(offset), truncated: true });
    }
    const ui = mount({ client });
    client.setState(ONLINE);
    client.emit('presence', presence(1, [], { count: 18211, truncated: true }));
    const counted = (f: string): boolean =>
      /│ 18,211 online/.test(f) && f.includes('in #lobby: 18,211 online (/who lists them)');
    await ui.until(counted, 'the count');
    await ui.type('/who');
    await ui.type(KEYS.enter);
    const firstPage = (f: string): boolean => f.includes('user0 ') && /1–\d+ of 18,211 · PgUp\/PgDn/.test(f);
    const first = await ui.until(firstPage, 'the first page');
    const size = Number(/1–(\d+) of 18,211/.exec(first)?.[1]);
    expect(first).not.toContain(`user${size} `);
    await ui.type(KEYS.pageDown);
    const secondPage = (f: string): boolean =>
      f.includes(`user${size} `) && !f.includes('user0 ') && f.includes(`${size + 1}–${2 * size} of 18,211`);
    await ui.until(secondPage, 'the second page');
    expect(client.pageRequests).toEqual([`0+${size}`, `${size}+${size}`]);
    // A later presence of the big room changes the count, and says nothing of who came and went.
    client.emit('presence', presence(2, [], { count: 18212, truncated: true }));
    await ui.until((f) => /│ 18,212 online/.test(f), 'the new count');
    expect(ui.frame()).not.toMatch(/joined|left/);
  });

  test("a server without count (protocol 1.0): the count is the list's length", async () => {
    const ui = mount();
    ui.client.setState(ONLINE);
    ui.client.emit('presence', presence(1, [m('ann', 1), m('bob', 2), m('cy', 3)]));
    await ui.until((f) => /│ 3 online/.test(f), 'the count');
    await waitFor(() => ui.client.pageRequests.length === 0, { what: 'no page requests' });
  });
});
