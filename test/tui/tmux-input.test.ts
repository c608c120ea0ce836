/**
 * Input comforts with the real binary in a real terminal (tmux): Tab
 * completion, the input history carried over to the next run through the
 * state directory (and kept out of it with --no-input-history), and links.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseHistory } from '../../src/tui/input/history-file.js';
import { newSession, postMessage, stopIfStarted } from '../helpers/index.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { makeTempDir, removeDir } from '../helpers/tmp-dir.js';
import { ensureBuilt, joinCommand, Tmux } from '../helpers/tmux.js';

const tmux = new Tmux();
let server: TestServer;
let stateDir: string;
let sessions = 0;

beforeAll(async () => {
  expect(ensureBuilt(), 'dist/ is built').toBe(true);
  server = await startTestServer();
  stateDir = await makeTempDir('rtchat-tui-state-');
}, 120_000);

afterAll(async () => {
  await tmux.close();
  await stopIfStarted(server, (s) => s.close());
  await removeDir(stateDir);
});

async function joined(args: string[] = [], env: Record<string, string> = {}): Promise<string> {
  const cmd = joinCommand({
    url: server.url,
    via: 'ws',
    nick: 'ann',
    args: ['comforts', ...args],
    env: { RTCHAT_STATE_DIR: stateDir, ...env },
  });
  const pane = await tmux.session(`s${++sessions}`, 100, 20, cmd);
  await tmux.until(pane, (s) => /^● online /m.test(s), 'ann online');
  return pane;
}

const inputRow = (screen: string): string => screen.split('\n').find((l) => l.startsWith('#comforts> ')) ?? '';
const untilInput = (pane: string, text: string) =>
  // The terminal keeps no trailing blanks: "bob: " reads "bob:".
  tmux.until(pane, (s) => inputRow(s).startsWith(`#comforts> ${text}`.trimEnd()), `the input "${text}"`);
const stored = async (): Promise<string[]> => parseHistory(await readFile(join(stateDir, 'history'), 'utf8'));

test('Tab completes in a real terminal; what was typed comes back with Up in the next run', async () => {
  const res = await postMessage(server.url, 'comforts', { nick: 'bob', session: newSession(), text: 'hi ann' });
  expect(res.status).toBe(201);
  const first = await joined();
  await tmux.until(first, (s) => s.includes('bob: hi ann'), 'the message');
  await tmux.type(first, 'b');
  await tmux.keys(first, 'Tab');
  await untilInput(first, 'bob: ');
  await tmux.type(first, 'morning', true);
  await tmux.until(first, (s) => /ann: bob: morning$/m.test(s), 'the sent message');
  await tmux.type(first, '/jo');
  await tmux.keys(first, 'Tab');
  await untilInput(first, '/join ');
  await tmux.keys(first, 'C-u');
  await tmux.type(first, ' kept out', true);
  await tmux.type(first, '/quit', true);
  await tmux.until(first, (s) => s.includes('EXITED 0'), 'the first run ended');
  expect(await stored()).toEqual(['bob: morning', '/quit']);

  const second = await joined();
  await tmux.keys(second, 'Up');
  await untilInput(second, '/quit');
  await tmux.keys(second, 'Up');
  await untilInput(second, 'bob: morning');
  await tmux.keys(second, 'C-c');
  await tmux.until(second, (s) => s.includes('EXITED'), 'the second run ended');

  const third = await joined(['--no-input-history']);
  await tmux.keys(third, 'Up');
  await tmux.type(third, 'x');
  await untilInput(third, 'x');
  await tmux.type(third, '', true);
  await tmux.type(third, '/quit', true);
  await tmux.until(third, (s) => s.includes('EXITED 0'), 'the third run ended');
  expect(await stored()).toEqual(['bob: morning', '/quit']);
}, 120_000);
