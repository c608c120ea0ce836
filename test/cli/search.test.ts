/**
 * `rtchat search` through the real binary against a real server: one escaped
 * line per hit (or one JSON message per line), paging with --before, usage
 * errors before any connection (exit 2), an unreachable server (exit 3).
 */
import { beforeAll, expect, it } from 'vitest';
import type { MessageEvent } from '../../src/protocol/index.js';
import { newRoom, postMessage, runRtchat, useTestServer } from '../helpers/index.js';
import { closedPort } from './cli-fixtures.js';

const srv = useTestServer();
const room = newRoom('find');

beforeAll(async () => {
  for (const [nick, text] of [
    ['ann', 'the deploy is done'],
    ['bob', 'lunch?'],
    ['cy', 'Deploy failed:\tdisk\nfull \u202Eevil'],
    ['ann', 'deploying again'],
  ]) {
    expect((await postMessage(srv.url, room, { nick: nick!, text: text! })).status).toBe(201);
  }
});

const search = (...args: string[]) => runRtchat(['search', '--server', srv.url, '--room', room, ...args]);

it('prints one escaped line per hit, newest first', async () => {
  const res = await search('deploy');
  expect(res.code).toBe(0);
  expect(res.stderr).toBe('');
  const lines = res.stdout.split('\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^#3 \[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] <cy> Deploy failed:\\tdisk\\nfull \\u202eevil$/);
  expect(lines[1]).toMatch(/^#1 \[[\d :-]+\] <ann> the deploy is done$/);
  expect(lines[2]).toBe('');
  // Words that start with "-" go after `--`.
  const dashed = await search('--limit', '1', '--', '-deploy', '--failed');
  expect([dashed.code, dashed.stdout]).toEqual([0, expect.stringMatching(/^#3 .*<cy> Deploy failed:/) as string]);
});

it('prints message events as JSON lines, and says how to get the next page', async () => {
  const res = await search('DEPLOY*', '--json', '--limit', '2');
  expect(res.code).toBe(0);
  const hits = res.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as MessageEvent);
  expect(hits.map((m) => [m.type, m.room, m.seq, m.nick])).toEqual([
    ['message', room, 4, 'ann'],
    ['message', room, 3, 'cy'],
  ]);
  expect(res.stdout).toContain('\\u202e');
  expect(res.stderr).toBe('rtchat: more hits may be older: --before 3\n');
  const next = await search('deploy*', '--json', '--limit', '2', '--before', '3');
  expect(
    next.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as MessageEvent).seq),
  ).toEqual([1]);
  expect(next.stderr).toBe('');
});

it('says when nothing matches, and exits 0', async () => {
  const res = await search('nowhere', 'words');
  expect([res.code, res.stdout, res.stderr]).toEqual([0, '', `rtchat: no message in ${room} matches\n`]);
  expect((await search('nowhere', '--json')).stderr).toBe('');
});

it('refuses bad arguments with exit 2 and one line, and an unreachable server with exit 3', async () => {
  for (const [args, line] of [
    [[], 'a QUERY is needed: the words to find (rtchat search --help)'],
    [['--', '---'], 'the search query (q) holds no word to look for (letters or digits)'],
    [['x'.repeat(201)], 'the search query (q) is longer than 200 characters'],
    [['deploy', '--limit', '0'], '--limit must be a whole number from 1 to 100'],
    [['deploy', '--limit', '101'], '--limit must be a whole number from 1 to 100'],
    [['deploy', '--before', '-1'], '--before must be a seq (>= 0)'],
  ] as const) {
    const res = await search(...args);
    expect([res.code, res.stdout, res.stderr], args.join(' ')).toEqual([2, '', `rtchat: ${line}\n`]);
  }
  const port = await closedPort();
  const down = await runRtchat(['search', '--server', `http://127.0.0.1:${port}`, '--room', room, 'deploy']);
  expect(down.code).toBe(3);
  expect(down.stderr).toMatch(/^rtchat: cannot reach .*\n$/);
});

it('rtchat serve refuses a --search-scan below 1', async () => {
  const res = await runRtchat(['serve', '--memory', '--port', '0', '--search-scan', '0']);
  expect([res.code, res.stderr]).toEqual([2, 'rtchat: --search-scan must be an integer from 1 to 10000000\n']);
});
