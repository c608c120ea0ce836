/**
 * `rtchat serve` as users start it: flags and RTCHAT_* env reach the server,
 * stdout holds exactly the ready line, logs on stderr are JSON when not a
 * TTY, and SIGINT exits 0. Needs `npm run build` (as `npm test` does).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MessageEvent } from '../../src/protocol/index.js';
import { closeAllClients, http, isBuilt, poll, postMany, spawnServe, withTimeout, type ServeProcess } from '../helpers/index.js';

let proc: ServeProcess | undefined;
beforeAll(() => {
  if (!isBuilt()) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
});
afterEach(async () => {
  closeAllClients();
  await proc?.stop();
  proc = undefined;
});

describe('rtchat serve (binary)', () => {
  it('honours --memory, --history, --retain and RTCHAT_TOKEN; one stdout line; SIGINT exits 0', async () => {
    proc = await spawnServe(['--memory', '--history', '2', '--retain', '3'], { env: { RTCHAT_TOKEN: 'envtok' } });
    expect(proc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(proc.stdout()).toBe(`rtchat listening on ${proc.url}\n`);

    expect((await http(`${proc.url}/healthz`)).status).toBe(200);
    expect((await http(`${proc.url}/rooms`)).status).toBe(401);
    const token = 'envtok';
    await postMany(proc.url, 'flags', 5, { token });

    const latest = await poll(proc.url, 'flags', { token });
    const seqs = (r: typeof latest): number[] =>
      r.body.events.filter((e): e is MessageEvent => e.type === 'message').map((m) => m.seq);
    expect(seqs(latest), 'history 2').toEqual([4, 5]);
    const retained = await poll(proc.url, 'flags', { after: 0, timeout: 1, token });
    expect(seqs(retained), 'retain 3').toEqual([3, 4, 5]);

    proc.kill('SIGINT');
    const exit = await withTimeout(proc.exited, 10_000, 'rtchat serve to exit on SIGINT');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(proc.stdout().trim().split('\n')).toHaveLength(1);
    for (const line of proc.stderr().split('\n').filter(Boolean)) {
      expect(() => JSON.parse(line), `stderr line is JSON: ${line}`).not.toThrow();
    }
  });
});
