/**
 * Every flag is also an RTCHAT_* variable; unrelated RTCHAT_* variables
 * (RTCHAT_DEBUG, test knobs) must not turn into "Unknown argument" errors,
 * while unknown flags stay usage errors.
 */
import { describe, expect, it } from 'vitest';
import { newRoom, runRtchat, useTestServer } from '../helpers/index.js';
import { roomMessages } from './cli-fixtures.js';

const srv = useTestServer();

describe('RTCHAT_* environment', () => {
  it('reads known options from the environment and ignores unrelated variables', async () => {
    const room = newRoom();
    const r = await runRtchat(['send', 'from', 'env'], {
      env: { RTCHAT_SERVER: srv.url, RTCHAT_ROOM: room, RTCHAT_NICK: 'envy', RTCHAT_DEBUG: '1', RTCHAT_SOME_KNOB: 'x' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1\n');
    const msgs = await roomMessages(srv.url, room);
    expect(msgs.map((m) => [m.nick, m.text])).toEqual([['envy', 'from env']]);
  });

  it('still refuses an unknown flag with exit 2', async () => {
    const r = await runRtchat(['send', '--server', srv.url, '--bogus-flag', 'x'], { env: { RTCHAT_DEBUG: '1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rtchat: .*bogus-flag/);
  });
});
