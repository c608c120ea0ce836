/**
 * `tail` across connection cuts (every message once, in order), `join --stay`
 * after EOF, and Ctrl-C giving exit 130. Real binary, real server, and a TCP
 * proxy between them that cuts connections on command.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newRoom,
  postMany,
  postMessage,
  spawnRtchat,
  stopIfStarted,
  TRANSPORTS,
  useTestServer,
  waitFor,
  withTimeout,
} from '../helpers/index.js';
import { ChaosProxy } from '../faults/chaos-proxy.js';

const srv = useTestServer();
let proxy: ChaosProxy;
beforeAll(async () => {
  proxy = await ChaosProxy.start({
    targetPort: srv.port,
    seed: 1,
    faults: { cut: 0, stall: 0, late: 0, split: 0, lifetimeCut: 0 },
  });
});
// Registered after useTestServer's hooks, so it runs before the server closes.
afterAll(() => stopIfStarted(proxy, (p) => p.close()));

const texts = (out: string): string[] =>
  out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^\d\d:\d\d:\d\d /, ''));

describe('tail across reconnects', () => {
  for (const via of TRANSPORTS) {
    it(`prints every message exactly once after a cut over ${via}`, async () => {
      const room = newRoom();
      await postMany(srv.url, room, 2, { nick: 'ann' });
      const tail = spawnRtchat(['tail', '--room', room, '--server', proxy.url, '--via', via, '--count', '4']);
      try {
        await waitFor(() => texts(tail.stdout()).length === 2, { what: 'the two history lines', timeoutMs: 10_000 });
        proxy.cutAll();
        await postMany(srv.url, room, 2, { nick: 'ann', prefix: 'after' });
        const exit = await withTimeout(tail.exited, 15_000, 'tail to exit after 4 messages');
        expect(exit.code).toBe(0);
        expect(texts(tail.stdout())).toEqual(['ann: m1', 'ann: m2', 'ann: after1', 'ann: after2']);
      } finally {
        await tail.stop();
      }
    });
  }
});

describe('signals and --stay', () => {
  it('join --stay keeps receiving after EOF, and Ctrl-C ends it with 130', async () => {
    const room = newRoom();
    const join = spawnRtchat(['join', room, '--server', srv.url, '--stay', '--nick', 'stayer'], { input: 'hello\n' });
    try {
      await waitFor(() => texts(join.stdout()).includes('stayer: hello'), {
        what: 'its own message',
        timeoutMs: 10_000,
      });
      await postMessage(srv.url, room, { nick: 'ann', text: 'still there?' });
      await waitFor(() => texts(join.stdout()).includes('ann: still there?'), {
        what: 'a message after EOF',
        timeoutMs: 10_000,
      });
      join.kill('SIGINT');
      const exit = await withTimeout(join.exited, 10_000, 'join to exit on SIGINT');
      expect(exit.code).toBe(130);
      expect(join.stderr()).toBe('');
    } finally {
      await join.stop();
    }
  });
});
