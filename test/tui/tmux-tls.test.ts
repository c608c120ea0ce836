/**
 * The full-screen client over TLS in a real terminal (tmux): it connects to
 * an https server with `--ca` over wss and chats; without the CA it ends with
 * exit code 3 and the one-line reason.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BIN, isBuilt } from '../helpers/spawn.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { makeTestCerts, type TestCerts } from '../helpers/tls-certs.js';
import { waitFor } from '../helpers/wait-for.js';

const run = promisify(execFile);
const SOCKET = `rtchat-tls-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const WAIT_MS = 30_000;

let server: TestServer | undefined;
let certs: TestCerts | undefined;
let tmuxStarted = false;

async function tmux(...args: string[]): Promise<string> {
  const { stdout } = await run('tmux', ['-L', SOCKET, ...args]);
  return stdout;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function joinCommand(args: string[]): string {
  const cmd = [process.execPath, BIN, 'join', ...args].map(quote).join(' ');
  return `env -u CI -u CONTINUOUS_INTEGRATION ${cmd}; echo "EXITED $?"; sleep 600`;
}

async function paneUntil(pane: string, pred: (screen: string) => boolean, what: string): Promise<string> {
  let last = '';
  try {
    return await waitFor(
      async () => {
        last = await tmux('capture-pane', '-p', '-t', pane);
        return pred(last) ? last : undefined;
      },
      { timeoutMs: WAIT_MS, intervalMs: 100, what },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- pane ${pane} ---\n${last}`);
  }
}

beforeAll(async () => {
  expect(isBuilt(), 'dist/ is built (npm test builds first)').toBe(true);
  certs = await makeTestCerts();
  server = await startTestServer({ tls: { cert: certs.cert, key: certs.key } });
}, 60_000);

afterAll(async () => {
  if (tmuxStarted) {
    await tmux('kill-server').catch(() => undefined);
    const uid = process.getuid?.() ?? 0;
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${uid}`, SOCKET), { force: true });
  }
  await server?.close();
  await certs?.cleanup();
});

test('rtchat join chats over wss with --ca, and ends with exit 3 and the reason without it', async () => {
  const url = server?.url ?? '';
  const ca = certs?.caFile ?? '';
  await tmux(
    'new-session',
    '-d',
    '-x',
    '120',
    '-y',
    '30',
    '-s',
    'tls',
    joinCommand(['--server', url, '--ca', ca, '--via', 'ws', '--nick', 'ann']),
  );
  tmuxStarted = true;
  await paneUntil('tls:0', (s) => s.includes('● online │ ws'), 'ann online over wss');
  await tmux('send-keys', '-t', 'tls:0', '-l', 'hello over tls');
  await tmux('send-keys', '-t', 'tls:0', 'Enter');
  await paneUntil('tls:0', (s) => /» ann: hello over tls/.test(s) && !s.includes('sending…'), 'the message acked');
  await tmux('send-keys', '-t', 'tls:0', 'C-c');
  await paneUntil('tls:0', (s) => s.includes('EXITED 0'), 'a clean exit');

  await tmux('new-window', '-t', 'tls', joinCommand(['--server', url, '--nick', 'eve']));
  const screen = await paneUntil('tls:1', (s) => s.includes('EXITED'), 'the untrusted client to end');
  expect(screen.replace(/\n/g, '')).toMatch(
    /rtchat: https:\/\/\S+: the server's TLS certificate is not trusted \(\w+\); trust its CA with --ca/,
  );
  expect(screen).toContain('EXITED 3');
}, 120_000);
