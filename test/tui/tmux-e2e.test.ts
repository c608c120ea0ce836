/**
 * The real thing in a real terminal: two `rtchat join` processes in tmux, one
 * over long polling and one over WebSocket, chat through a real server; each
 * screen must show both messages, its transport and a latency figure in ms.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { ensureBuilt, joinCommand, Tmux } from '../helpers/tmux.js';

const tmux = new Tmux();
const SESSION = 'chat';
let server: TestServer | undefined;

beforeAll(async () => {
  expect(ensureBuilt(), 'dist/ is built').toBe(true);
  server = await startTestServer();
}, 120_000);

afterAll(async () => {
  await tmux.close();
  await server?.close();
});

test('two rtchat join processes over longpoll and ws chat in tmux, then one switches to sse', async () => {
  const url = server?.url ?? '';
  const ann = await tmux.session(SESSION, 120, 30, joinCommand({ url, via: 'longpoll', nick: 'ann' }));
  await tmux.cmd('new-window', '-t', SESSION, joinCommand({ url, via: 'ws', nick: 'bob' }));
  const bob = `${SESSION}:1`;

  // Type only once the UI owns the terminal, so keys are not echoed by the tty.
  await tmux.until(ann, (s) => s.includes('● online │ longpoll'), 'ann online');
  await tmux.until(bob, (s) => s.includes('● online │ ws'), 'bob online');

  await tmux.type(ann, 'hello from ann', true);
  await tmux.type(bob, 'hi from bob', true);

  const latency = /│ rtt \d+(\.\d)? ms/;
  const both = (s: string): boolean =>
    /\d\d:\d\d:\d\d .{2}ann: hello from ann/.test(s) && /\d\d:\d\d:\d\d .{2}bob: hi from bob/.test(s);
  // Done once nothing is pending: an own line shows as "sending…" until its ack.
  const settled = (s: string): boolean =>
    both(s) && latency.test(s) && s.includes('2 online') && !s.includes('sending…');
  const annScreen = await tmux.until(ann, settled, 'both messages and a latency');
  const bobScreen = await tmux.until(bob, settled, 'both messages and a latency');
  expect(annScreen).toMatch(/● online │ longpoll │ #lobby as ann │ rtt \d+(\.\d)? ms/);
  expect(bobScreen).toMatch(/● online │ ws │ #lobby as bob │ rtt \d+(\.\d)? ms/);
  // Own lines are marked, the other's are not, and nothing is pending any more.
  expect(annScreen).toMatch(/» ann: hello from ann/);
  expect(bobScreen).toMatch(/ {2}ann: hello from ann/);

  // A live transport switch from the keyboard: nothing lost, nothing doubled.
  await tmux.type(bob, '/via sse', true);
  const switchedToSse = (s: string): boolean =>
    s.includes('● online │ sse') && s.includes('transport switched: ws → sse');
  await tmux.until(bob, switchedToSse, 'the switch to sse');
  await tmux.type(ann, 'after the switch', true);
  const switched = await tmux.until(bob, (s) => s.includes('ann: after the switch'), 'a message after the switch');
  expect(switched.split('ann: after the switch')).toHaveLength(2);
  expect(switched.split('ann: hello from ann')).toHaveLength(2);

  // Ctrl+C leaves cleanly with exit code 0.
  await tmux.keys(ann, 'C-c');
  await tmux.keys(bob, 'C-c');
  await tmux.until(ann, (s) => s.includes('EXITED 0'), 'a clean exit');
  await tmux.until(bob, (s) => s.includes('EXITED 0'), 'a clean exit');
}, 180_000);

test('a refused token ends the client with exit code 3 and a message on stderr', async () => {
  const guarded = await startTestServer({ token: 'right-token' });
  try {
    const eve = joinCommand({ url: guarded.url, via: 'ws', nick: 'eve', args: ['--token', 'wrong-token'] });
    const pane = await tmux.session('guarded', 120, 30, eve);
    const screen = await tmux.until(pane, (s) => s.includes('EXITED'), 'the client to end');
    expect(screen).toContain('rtchat: the server refused the token');
    expect(screen).toContain('EXITED 3');
  } finally {
    await guarded.close();
  }
}, 60_000);
