/**
 * `rtchat send`, `rooms` and `who`, run as the real binary with pipes against
 * the real server in this process.
 */
import { describe, expect, it } from 'vitest';
import { newRoom, openReceiver, postMessage, runRtchat, useTestServer } from '../helpers/index.js';
import { closedPort, lossyProxy, roomMessages } from './cli-fixtures.js';

const srv = useTestServer();

const common = (room: string): string[] => ['--server', srv.url, '--room', room, '--nick', 'scripter'];

describe('rtchat send', () => {
  it('sends its arguments as one message and prints the seq', async () => {
    const room = newRoom();
    await postMessage(srv.url, room, { nick: 'other', text: 'first' });
    const r = await runRtchat(['send', ...common(room), 'deploy', 'done']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('2\n');
    // A text that starts with a dash goes after `--`.
    const dashed = await runRtchat(['send', ...common(room), '--', '-n', '--not-a-flag']);
    expect(dashed.code).toBe(0);
    expect(dashed.stdout).toBe('3\n');
    const msgs = await roomMessages(srv.url, room);
    expect(msgs.map((m) => [m.seq, m.nick, m.text])).toEqual([
      [1, 'other', 'first'],
      [2, 'scripter', 'deploy done'],
      [3, 'scripter', '-n --not-a-flag'],
    ]);
  });

  it('sends one message per stdin line, in order, and prints the acks as JSON', async () => {
    const room = newRoom();
    const r = await runRtchat(['send', ...common(room), '--json'], { input: 'a\r\n\nb\nc' });
    expect(r.code).toBe(0);
    const acks = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; seq: number; cid: string });
    expect(acks.map((a) => [a.type, a.seq])).toEqual([
      ['ack', 1],
      ['ack', 2],
      ['ack', 3],
    ]);
    const msgs = await roomMessages(srv.url, room);
    expect(msgs.map((m) => m.text)).toEqual(['a', 'b', 'c']);
    expect(msgs.map((m) => m.cid)).toEqual(acks.map((a) => a.cid));
  });

  it('retries a send whose answer was lost with the same cid, so it is stored once', async () => {
    const room = newRoom();
    const proxy = await lossyProxy(srv.url);
    try {
      const r = await runRtchat(['send', '--server', proxy.url, '--room', room, '--timeout', '6', 'once']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('1\n');
      expect(proxy.posts.length).toBeGreaterThanOrEqual(2);
      expect(new Set(proxy.posts.map((p) => p.cid)).size).toBe(1);
      expect((await roomMessages(srv.url, room)).map((m) => m.text)).toEqual(['once']);
    } finally {
      await proxy.close();
    }
  });

  it('exits 3 with one stderr line and no stdout when the server is unreachable', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await runRtchat(['send', '--server', url, 'hello']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `rtchat: cannot reach ${url} (connection refused, ECONNREFUSED); is the server running there? Check --server\n`,
    );
  });

  it('fails over to the next server in a comma list', async () => {
    const room = newRoom();
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const r = await runRtchat(['send', '--server', `${dead},${srv.url}`, '--room', room, 'via second']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1\n');
  });

  it('exits 1 without a stack trace when the server refuses the text', async () => {
    const room = newRoom();
    const r = await runRtchat(['send', ...common(room)], { input: 'ok\nbad\x1b[2J\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('1\n');
    // Refused before sending: the line is named, and the reason is the contract's.
    expect(r.stderr).toMatch(/^rtchat: line 2 not sent: text must not hold control characters/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exits 2 on bad flags and bad room names', async () => {
    const a = await runRtchat(['send', '--server', srv.url, '--no-such-flag', 'x']);
    expect(a.code).toBe(2);
    expect(a.stderr).not.toMatch(/\n\s+at /);
    const b = await runRtchat(['send', '--server', srv.url, '--room', 'Not A Room', 'x']);
    expect(b.code).toBe(2);
    const c = await runRtchat(['tail', '--server', srv.url, '--count', 'many']);
    expect(c.code).toBe(2);
  });
});

describe('rtchat send with a token', () => {
  const locked = useTestServer({ token: 'sesame' });

  it('exits 3 on a wrong token and 0 with the right one', async () => {
    const room = newRoom();
    const bad = await runRtchat(['send', '--server', locked.url, '--room', room, '--token', 'nope', 'x']);
    expect(bad.code).toBe(3);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^rtchat: .*refused the token.*\n$/);
    const good = await runRtchat(['send', '--server', locked.url, '--room', room, 'x'], {
      env: { RTCHAT_TOKEN: 'sesame' },
    });
    expect(good.code).toBe(0);
    expect(good.stdout).toBe('1\n');
  });
});

describe('rtchat rooms and who', () => {
  it('lists rooms as a table and as JSON lines', async () => {
    const room = newRoom();
    await postMessage(srv.url, room, { nick: 'ann', text: 'hi' });
    const table = await runRtchat(['rooms', '--server', srv.url]);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ROOM\s+HEAD\s+MEMBERS$/);
    expect(table.stdout).toMatch(new RegExp(`^${room}\\s+1\\s+\\d+$`, 'm'));
    const json = await runRtchat(['rooms', '--server', srv.url, '--json']);
    expect(json.code).toBe(0);
    const rows = json.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { room: string; head: number });
    expect(rows.find((r) => r.room === room)?.head).toBe(1);
  });

  it('lists the members of a room', async () => {
    const room = newRoom();
    const rx = await openReceiver('sse', { url: srv.url, room, nick: 'watcher' });
    try {
      const table = await runRtchat(['who', '--server', srv.url, '--room', room]);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^NICK\s+VIA\s+SINCE\nwatcher\s+sse\s+\d+[smhd]\n$/);
      const json = await runRtchat(['who', '--server', srv.url, '--room', room, '--json']);
      const presence = JSON.parse(json.stdout) as { type: string; members: { nick: string }[] };
      expect(presence.type).toBe('presence');
      expect(presence.members.map((m) => m.nick)).toEqual(['watcher']);
    } finally {
      rx.close();
    }
  });
});
