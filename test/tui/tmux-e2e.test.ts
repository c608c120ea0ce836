/**
 * The real thing in a real terminal: two `rtchat join` processes in tmux, one
 * over long polling and one over WebSocket, chat through a real server; each
 * screen must show both messages, its transport and a latency figure in ms.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BIN, ROOT } from '../helpers/spawn.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait-for.js';

const run = promisify(execFile);
// One tmux server of our own: its socket name is unique, so kill-server ends only it.
const SOCKET = `rtchat-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const SESSION = 'chat';
// Generous: CI machines are slow and shared; these bound waits, they do not measure.
const WAIT_MS = 30_000;

let server: TestServer | undefined;
let tmuxStarted = false;

async function tmux(...args: string[]): Promise<string> {
  const { stdout } = await run('tmux', ['-L', SOCKET, ...args]);
  return stdout;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The pane runs the client, then says how it ended and stays open for capture. */
function joinCommand(url: string, via: string, nick: string, extra: string[] = []): string {
  const cmd = [process.execPath, BIN, 'join', '--server', url, '--via', via, '--nick', nick, ...extra].map(shellQuote).join(' ');
  // Ink prints nothing live when it believes it runs in CI; this is a real terminal.
  return `env -u CI -u CONTINUOUS_INTEGRATION ${cmd}; echo "EXITED $?"; sleep 600`;
}

const capture = (pane: string): Promise<string> => tmux('capture-pane', '-p', '-t', pane);

async function paneUntil(pane: string, pred: (screen: string) => boolean, what: string): Promise<string> {
  let last = '';
  try {
    return await waitFor(
      async () => {
        last = await capture(pane);
        return pred(last) ? last : undefined;
      },
      { timeoutMs: WAIT_MS, intervalMs: 100, what: `${what} in pane ${pane}` },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- pane ${pane} ---\n${last}`);
  }
}

beforeAll(async () => {
  // The binary runs dist/; build it when a fresh checkout has none (npm test builds first).
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')) || !existsSync(join(ROOT, 'dist', 'tui', 'run.js'))) {
    try {
      execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'ignore' });
    } catch {
      // tsc emits despite type errors; the existence checks below decide.
    }
  }
  expect(existsSync(join(ROOT, 'dist', 'tui', 'run.js')), 'dist/ is built').toBe(true);
  server = await startTestServer();
}, 120_000);

afterAll(async () => {
  if (tmuxStarted) {
    await tmux('kill-server').catch(() => undefined);
    // tmux leaves its socket file behind; it is ours alone, by its unique name.
    const uid = process.getuid?.() ?? 0;
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${uid}`, SOCKET), { force: true });
  }
  await server?.close();
});

test('two rtchat join processes over longpoll and ws chat in tmux, then one switches to sse', async () => {
  const url = server?.url ?? '';
  await tmux('new-session', '-d', '-x', '120', '-y', '30', '-s', SESSION, joinCommand(url, 'longpoll', 'ann'));
  tmuxStarted = true;
  await tmux('new-window', '-t', SESSION, joinCommand(url, 'ws', 'bob'));
  const ann = `${SESSION}:0`;
  const bob = `${SESSION}:1`;

  // Type only once the UI owns the terminal, so keys are not echoed by the tty.
  await paneUntil(ann, (s) => s.includes('● online │ longpoll'), 'ann online');
  await paneUntil(bob, (s) => s.includes('● online │ ws'), 'bob online');

  await tmux('send-keys', '-t', ann, '-l', 'hello from ann');
  await tmux('send-keys', '-t', ann, 'Enter');
  await tmux('send-keys', '-t', bob, '-l', 'hi from bob');
  await tmux('send-keys', '-t', bob, 'Enter');

  const latency = /│ rtt \d+(\.\d)? ms/;
  const both = (s: string): boolean => /\d\d:\d\d:\d\d .{2}ann: hello from ann/.test(s) && /\d\d:\d\d:\d\d .{2}bob: hi from bob/.test(s);
  // Done once nothing is pending: an own line shows as "sending…" until its ack.
  const settled = (s: string): boolean => both(s) && latency.test(s) && s.includes('2 online') && !s.includes('sending…');
  const annScreen = await paneUntil(ann, settled, 'both messages and a latency');
  const bobScreen = await paneUntil(bob, settled, 'both messages and a latency');
  expect(annScreen).toMatch(/● online │ longpoll │ #lobby as ann │ rtt \d+(\.\d)? ms/);
  expect(bobScreen).toMatch(/● online │ ws │ #lobby as bob │ rtt \d+(\.\d)? ms/);
  // Own lines are marked, the other's are not, and nothing is pending any more.
  expect(annScreen).toMatch(/» ann: hello from ann/);
  expect(bobScreen).toMatch(/ {2}ann: hello from ann/);

  // A live transport switch from the keyboard: nothing lost, nothing doubled.
  await tmux('send-keys', '-t', bob, '-l', '/via sse');
  await tmux('send-keys', '-t', bob, 'Enter');
  await paneUntil(bob, (s) => s.includes('● online │ sse') && s.includes('transport switched: ws → sse'), 'the switch to sse');
  await tmux('send-keys', '-t', ann, '-l', 'after the switch');
  await tmux('send-keys', '-t', ann, 'Enter');
  const switched = await paneUntil(bob, (s) => s.includes('ann: after the switch'), 'a message after the switch');
  expect(switched.split('ann: after the switch')).toHaveLength(2);
  expect(switched.split('ann: hello from ann')).toHaveLength(2);

  // Ctrl+C leaves cleanly with exit code 0.
  await tmux('send-keys', '-t', ann, 'C-c');
  await tmux('send-keys', '-t', bob, 'C-c');
  await paneUntil(ann, (s) => s.includes('EXITED 0'), 'a clean exit');
  await paneUntil(bob, (s) => s.includes('EXITED 0'), 'a clean exit');
}, 180_000);

test('a refused token ends the client with exit code 3 and a message on stderr', async () => {
  const guarded = await startTestServer({ token: 'right-token' });
  try {
    await tmux('new-session', '-d', '-x', '120', '-y', '30', '-s', 'guarded', joinCommand(guarded.url, 'ws', 'eve', ['--token', 'wrong-token']));
    tmuxStarted = true;
    const screen = await paneUntil('guarded:0', (s) => s.includes('EXITED'), 'the client to end');
    expect(screen).toContain('rtchat: the server refused the token');
    expect(screen).toContain('EXITED 3');
  } finally {
    await guarded.close();
  }
}, 60_000);
