/**
 * Non-interactive `join` and `tail`, run as the real binary with pipes (never
 * a TTY) against the real server in this process, over every transport.
 */
import { describe, expect, it } from 'vitest';
import type { MessageEvent } from '../../src/protocol/index.js';
import {
  newRoom,
  postMany,
  postMessage,
  runRtchat,
  spawnRtchat,
  startTestServer,
  TRANSPORTS,
  useTestServer,
  waitFor,
  withTimeout,
} from '../helpers/index.js';
import { closedPort, roomMessages, runBare } from './cli-fixtures.js';

const srv = useTestServer();

const LINE_RE = /^\d\d:\d\d:\d\d [^:]+: .*$/;
const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');
const noStack = (s: string): void => expect(s).not.toMatch(/\n\s+at /);

describe('rtchat join without a terminal', () => {
  for (const via of TRANSPORTS) {
    it(`sends stdin lines in order over ${via} and exits 0 once acked`, async () => {
      const room = newRoom();
      const r = await runRtchat(['join', room, '--server', srv.url, '--via', via, '--nick', 'bot'], {
        input: 'a\nb\nc\n',
      });
      noStack(r.stderr);
      expect(r.code).toBe(0);
      const msgs = await roomMessages(srv.url, room);
      expect(msgs.map((m) => [m.seq, m.nick, m.text])).toEqual([
        [1, 'bot', 'a'],
        [2, 'bot', 'b'],
        [3, 'bot', 'c'],
      ]);
      // It exits only once its own messages came back through the stream.
      for (const line of lines(r.stdout)) expect(line).toMatch(LINE_RE);
      expect(lines(r.stdout).map((l) => l.slice(9))).toEqual(['bot: a', 'bot: b', 'bot: c']);
    });
  }

  it('keeps stdin order past the rate limit burst', async () => {
    const room = newRoom();
    const input = Array.from({ length: 60 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const r = await runRtchat(['join', room, '--server', srv.url, '--via', 'ws', '--no-echo'], {
      input,
      timeoutMs: 30_000,
    });
    expect(r.code).toBe(0);
    const msgs = await roomMessages(srv.url, room);
    expect(msgs.map((m) => m.text)).toEqual(Array.from({ length: 60 }, (_, i) => `line ${i + 1}`));
  });

  it('prints every protocol event as JSON with --json, and the room history as lines without', async () => {
    const room = newRoom();
    await postMany(srv.url, room, 2, { nick: 'ann' });
    const plain = await runRtchat(['join', '--room', room, '--server', srv.url, '--via', 'sse', '--no-echo'], {
      input: '',
    });
    expect(plain.code).toBe(0);
    expect(lines(plain.stdout).map((l) => l.replace(/^\d\d:\d\d:\d\d /, ''))).toEqual(['ann: m1', 'ann: m2']);
    const json = await runRtchat(['join', '--room', room, '--server', srv.url, '--via', 'ws', '--json'], { input: '' });
    expect(json.code).toBe(0);
    const events = lines(json.stdout).map((l) => JSON.parse(l) as { type: string });
    expect(events[0]?.type).toBe('hello');
    expect(events.filter((e) => e.type === 'message')).toHaveLength(2);
  });

  it('behaves the same under env -i (no TTY, no TERM, no HOME)', async () => {
    const room = newRoom();
    const r = await runBare(['join', room, '--server', srv.url, '--via', 'longpoll', '--nick', 'sshbot'], 'x\ny\n');
    noStack(r.stderr);
    expect(r.code).toBe(0);
    expect((await roomMessages(srv.url, room)).map((m) => m.text)).toEqual(['x', 'y']);
    const t = await runBare(['tail', '--room', room, '--server', srv.url, '--count', '2'], '');
    expect(t.code).toBe(0);
    expect(lines(t.stdout).map((l) => l.replace(/^\d\d:\d\d:\d\d /, ''))).toEqual(['sshbot: x', 'sshbot: y']);
  });
});

describe('rtchat tail', () => {
  it('receives the room with --count 3 --json, one JSON object per line', async () => {
    const room = newRoom();
    await postMany(srv.url, room, 3, { nick: 'ann' });
    const r = await runRtchat(['tail', '--room', room, '--server', srv.url, '--count', '3', '--json']);
    expect(r.code).toBe(0);
    const msgs = lines(r.stdout).map((l) => JSON.parse(l) as MessageEvent);
    expect(msgs.map((m) => [m.type, m.seq, m.text])).toEqual([
      ['message', 1, 'm1'],
      ['message', 2, 'm2'],
      ['message', 3, 'm3'],
    ]);
  });

  it('prints messages as they come and stops after --count', async () => {
    const room = newRoom();
    await postMessage(srv.url, room, { nick: 'ann', text: 'before' });
    const tail = spawnRtchat(['tail', '--room', room, '--server', srv.url, '--via', 'ws', '--count', '2']);
    try {
      await waitFor(() => tail.stdout().includes('before'), { what: 'the history line', timeoutMs: 10_000 });
      await postMessage(srv.url, room, { nick: 'bob', text: 'live' });
      const exit = await withTimeout(tail.exited, 10_000, 'tail to exit after 2 messages');
      expect(exit.code).toBe(0);
      expect(lines(tail.stdout()).map((l) => l.replace(/^\d\d:\d\d:\d\d /, ''))).toEqual(['ann: before', 'bob: live']);
    } finally {
      await tail.stop();
    }
  });

  it('resumes after --since', async () => {
    const room = newRoom();
    await postMany(srv.url, room, 4);
    const r = await runRtchat([
      'tail',
      '--room',
      room,
      '--server',
      srv.url,
      '--via',
      'longpoll',
      '--since',
      '2',
      '--count',
      '2',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).map((l) => (JSON.parse(l) as MessageEvent).seq)).toEqual([3, 4]);
  });

  it('exits 4 when --timeout ends short of --count', async () => {
    const room = newRoom();
    await postMany(srv.url, room, 1);
    const r = await runRtchat(['tail', '--room', room, '--server', srv.url, '--count', '5', '--timeout', '1']);
    expect(r.code).toBe(4);
    expect(lines(r.stdout)).toHaveLength(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^rtchat: .*1 of 5/);
  });

  it('escapes what could drive a terminal, in lines and in JSON', async () => {
    const room = newRoom();
    // The server refuses Cc in text, but format characters such as the RTL
    // override, line separators and tabs pass.
    const text = 'ok\u202egnp.exe\u2028x\ty';
    expect((await postMessage(srv.url, room, { nick: 'mallory', text })).status).toBe(201);
    const r = await runRtchat(['tail', '--room', room, '--server', srv.url, '--count', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d\d:\d\d:\d\d mallory: ok\\u202egnp\.exe\\u2028x\\ty\n$/);
    const j = await runRtchat(['tail', '--room', room, '--server', srv.url, '--count', '1', '--json']);
    // eslint-disable-next-line no-control-regex -- checking that no control character got through
    expect(j.stdout.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u2028\u202e]/);
    expect((JSON.parse(j.stdout) as MessageEvent).text).toBe(text);
  });

  it('exits 3 with one line when the server is unreachable', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await runRtchat(['tail', '--server', url, '--count', '1']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `rtchat: cannot reach ${url} (connection refused, ECONNREFUSED); is the server running there? Check --server\n`,
    );
  });

  it('exits 3 on a wrong token, for tail and join', async () => {
    const locked = await startTestServer({ token: 'sesame' });
    try {
      const t = await runRtchat(['tail', '--server', locked.url, '--token', 'wrong', '--count', '1']);
      expect(t.code).toBe(3);
      expect(t.stdout).toBe('');
      expect(lines(t.stderr)).toHaveLength(1);
      const j = await runRtchat(['join', '--server', locked.url, '--token', 'wrong'], { input: 'hi\n' });
      expect(j.code).toBe(3);
    } finally {
      await locked.close();
    }
  });
});
