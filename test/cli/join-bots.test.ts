/**
 * Piped `join` and `tail` for bots (issue 11, finding 12): a reset of the
 * room's log (the store came back empty, a new epoch) moves the catch-up
 * target to the new log's head, and `--since now` starts from new messages
 * only. The real binary over pipes against real `rtchat serve` processes.
 */
import { describe, expect, it } from 'vitest';
import type { HelloEvent, MessageEvent, ServerEvent } from '../../src/protocol/index.js';
import {
  newRoom,
  postMany,
  postMessage,
  runRtchat,
  spawnRtchat,
  spawnServe,
  TRANSPORTS,
  useTestServer,
  waitFor,
  withTimeout,
} from '../helpers/index.js';

const srv = useTestServer();
const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

describe('piped join across a reset of the log', () => {
  for (const via of TRANSPORTS) {
    it(`exits 0 when the store comes back empty under it, over ${via}`, async () => {
      // `sleep 3 | rtchat join r --timeout 5` while the server restarts on an empty store.
      let server = await spawnServe(['--memory', '--log-level', 'warn']);
      const port = Number(new URL(server.url).port);
      const room = newRoom();
      await postMany(server.url, room, 3, { nick: 'ann' });
      const args = ['join', room, '--server', server.url, '--via', via, '--timeout', '5'];
      const join = spawnRtchat(args, { keepStdinOpen: true });
      try {
        await waitFor(() => lines(join.stdout()).length === 3, { what: 'the three history lines', timeoutMs: 10_000 });
        await server.stop();
        server = await spawnServe(['--memory', '--log-level', 'warn'], { port });
        // Over long polling "reconnected" comes before the first poll, so wait for the reset itself.
        const reset = (): boolean => join.stderr().includes('log was reset');
        await waitFor(reset, { what: 'join to see the reset', timeoutMs: 20_000 });
        join.child.stdin?.end();
        const exit = await withTimeout(join.exited, 15_000, 'join to exit after EOF');
        expect(exit.code, join.stderr()).toBe(0);
      } finally {
        await join.stop();
        await server.stop();
      }
    }, 60_000);
  }
});

describe('--since now: new messages only', () => {
  it('piped join prints none of the history, then what comes', async () => {
    const room = newRoom();
    await postMany(srv.url, room, 3, { nick: 'ann' });
    const quiet = await runRtchat(['join', room, '--server', srv.url, '--since', 'now', '--json'], { input: '' });
    expect(quiet.code, quiet.stderr).toBe(0);
    const events = lines(quiet.stdout).map((l) => JSON.parse(l) as { type: string });
    expect(events.filter((e) => e.type === 'message')).toEqual([]);
    expect((events.find((e) => e.type === 'hello') as HelloEvent | undefined)?.head).toBe(3);

    // A bot restarted with --stay answers what is new, not what it already answered.
    const args = ['join', room, '--server', srv.url, '--since', 'now', '--stay', '--json', '--via', 'longpoll'];
    const bot = spawnRtchat(args);
    try {
      await waitFor(() => bot.stdout().includes('"type":"hello"'), { what: 'the bot to join' });
      await postMessage(srv.url, room, { nick: 'bob', text: 'new' });
      await waitFor(() => bot.stdout().includes('"text":"new"'), { what: 'the new message' });
      const texts = lines(bot.stdout())
        .map((l) => JSON.parse(l) as ServerEvent)
        .filter((e): e is MessageEvent => e.type === 'message')
        .map((m) => [m.seq, m.text]);
      expect(texts).toEqual([[4, 'new']]);
    } finally {
      await bot.stop();
    }
  });

  it('tail prints only messages stored after it joined', async () => {
    const room = newRoom();
    await postMany(srv.url, room, 3, { nick: 'ann' });
    const tail = spawnRtchat(['tail', '--room', room, '--server', srv.url, '--since', 'now', '--count', '1', '--json']);
    try {
      // No readiness line on tail's stdout: keep posting until one arrives; whichever does is new.
      let n = 0;
      await waitFor(
        async () => {
          if (tail.child.exitCode !== null) return true;
          await postMessage(srv.url, room, { nick: 'bob', text: `later ${++n}` });
          return undefined;
        },
        { what: 'tail to print a new message', timeoutMs: 15_000, intervalMs: 200 },
      );
      const exit = await withTimeout(tail.exited, 5000, 'tail to exit');
      expect(exit.code).toBe(0);
      const [m] = lines(tail.stdout()).map((l) => JSON.parse(l) as MessageEvent);
      expect(m?.seq).toBeGreaterThan(3);
      expect(m?.text).toMatch(/^later \d+$/);
    } finally {
      await tail.stop();
    }
  });

  it('refuses anything but a seq or now', async () => {
    for (const command of ['tail', 'join']) {
      const r = await runRtchat([command, '--server', srv.url, '--since', 'yesterday']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('rtchat: --since must be a seq (an integer >= 0) or now\n');
    }
  });
});
