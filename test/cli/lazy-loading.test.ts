/**
 * Fast start: the scripting commands must not load Ink or React (nor, for the
 * plain-HTTP ones, the WebSocket/SSE/undici stack). Checked by tracing every
 * module the real binary resolves.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BIN,
  makeTempDir,
  newRoom,
  postMessage,
  removeDir,
  ROOT,
  useTestServer,
  withTimeout,
} from '../helpers/index.js';

const srv = useTestServer();
let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  if (dir) await removeDir(dir);
});

const HOOK = join(ROOT, 'test', 'cli', 'fixtures', 'trace-loads.mjs');
let runs = 0;

/** The bare package names (and node: builtins) a command loaded. */
async function loadedBy(args: string[]): Promise<Set<string>> {
  const file = join(dir, `trace-${++runs}.txt`);
  const child = spawn(process.execPath, ['--import', HOOK, BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, TRACE_LOADS_FILE: file, NO_COLOR: '1' },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.stdin.end('');
  const code = await withTimeout(
    new Promise((resolve) => child.on('exit', resolve)),
    15_000,
    `rtchat ${args[0]} to exit`,
  );
  expect(code, `rtchat ${args.join(' ')}`).toBe(0);
  const urls = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
  await rm(file, { force: true });
  const names = new Set<string>();
  for (const url of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m?.[1]) names.add(m[1]);
    else if (url.startsWith('node:')) names.add(url);
  }
  return names;
}

const UI = ['ink', 'react'];
const STREAMING = ['ws', 'eventsource', 'undici'];

describe('lazy loading', () => {
  it('send loads neither the UI nor the streaming stack', async () => {
    // rooms and who share send's plain-HTTP path (http-errors, http-request).
    const names = await loadedBy(['send', '--server', srv.url, '--room', newRoom(), 'hi']);
    expect(names.has('yargs'), 'the trace works').toBe(true);
    for (const pkg of [...UI, ...STREAMING]) expect(names.has(pkg), `send loaded ${pkg}`).toBe(false);
  });

  it('search loads neither the UI nor the streaming stack', async () => {
    const names = await loadedBy(['search', '--server', srv.url, '--room', newRoom(), 'hi']);
    expect(names.has('yargs'), 'the trace works').toBe(true);
    for (const pkg of [...UI, ...STREAMING]) expect(names.has(pkg), `search loaded ${pkg}`).toBe(false);
  });

  it('tail and piped join do not load Ink or React', async () => {
    const room = newRoom();
    await postMessage(srv.url, room, { nick: 'ann', text: 'x' });
    for (const args of [
      ['tail', '--server', srv.url, '--room', room, '--count', '1', '--via', 'ws'],
      ['join', room, '--server', srv.url, '--via', 'ws'],
    ]) {
      const names = await loadedBy(args);
      expect(names.has('ws'), `${args[0]} used the client`).toBe(true);
      for (const pkg of UI) expect(names.has(pkg), `${args[0]} loaded ${pkg}`).toBe(false);
    }
  });
});
