/**
 * Several rooms and a DM in a real terminal: `rtchat join lobby ops` under
 * tmux with an account, traffic from another account in both rooms and a DM,
 * the unread counts in the room list, switching with Alt+N and Ctrl+N/P, and
 * a /search hit. Each transport the user may pick gets the same run, so the
 * room list is the same whatever carries it. The runs share the DM: that a
 * later run counts only its own new DM message (`@ann 1!`) proves the read
 * marker of the DM viewed just before Ctrl+C was stored on the way out.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDm } from '../../src/client/dms.js';
import { Accounts } from '../../src/server/identity/accounts.js';
import { postMessage } from '../helpers/index.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { ensureBuilt, joinCommand, Tmux } from '../helpers/tmux.js';

const tmux = new Tmux();
let server: TestServer | undefined;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  expect(ensureBuilt(), 'dist/ is built').toBe(true);
  server = await startTestServer({ sqlite: true });
  const accounts = new Accounts(server.store.identity);
  for (const name of ['ann', 'bob']) tokens[name] = await accounts.add(name);
}, 120_000);

afterAll(async () => {
  await tmux.close();
  await server?.close();
});

/** ann posts `text` to `room` as her account. */
async function annSays(room: string, text: string): Promise<void> {
  const res = await postMessage(server?.url ?? '', room, { nick: 'ann', text }, { token: tokens.ann });
  expect(res.status).toBe(201);
}

describe.each(['ws', 'sse', 'longpoll'] as const)('bob in two rooms and a DM over %s', (via) => {
  test('unread counts, switching by keys, the DM, and a search hit', async () => {
    const url = server?.url ?? '';
    const lobby = `lobby-${via}`;
    const ops = `ops-${via}`;
    // The DM exists before bob starts, so his client finds it at start (later ones within 30 s).
    const dm = await openDm({ server: url, token: tokens.ann, to: 'bob' });
    const bob = await tmux.session(
      `rooms-${via}`,
      110,
      30,
      // --nick says robert, but the server posts as the account: the client takes bob for mentions and status.
      joinCommand({ url, via, nick: 'robert', args: [lobby, ops, '--token', tokens.bob ?? ''] }),
    );
    await tmux.until(bob, (s) => s.includes(`● online │ ${via}`) && s.includes(' as bob'), 'bob online, as bob');
    await tmux.until(bob, (s) => s.includes(`1 #${lobby}`) && s.includes(`2 #${ops}`), 'the room list');

    await annSays(ops, 'deploy started');
    await annSays(ops, 'bob: can you check the deploy?');
    await annSays(ops, 'deploy done');
    await annSays(dm.room, 'psst bob');
    // ops: three unread, one of them a mention; the DM: one, and every DM message counts as a mention.
    const counted = await tmux.until(
      bob,
      (s) => s.includes(`2 #${ops} 3!`) && s.includes('3 @ann 1!'),
      'unread counts in the room list',
    );
    expect(counted).not.toContain('deploy started');

    // Alt+2 shows ops: its messages, and its count is gone once seen.
    await tmux.keys(bob, 'M-2');
    const inOps = await tmux.until(
      bob,
      (s) => s.includes('ann: deploy done') && !s.includes(`#${ops} 3`),
      'ops on screen, its count cleared',
    );
    expect(inOps.split('ann: deploy started')).toHaveLength(2);

    // Ctrl+N: the next room is the DM.
    await tmux.keys(bob, 'C-n');
    await tmux.until(bob, (s) => s.includes('ann: psst bob') && !s.includes('@ann 1'), 'the DM on screen');
    // Ctrl+P back to ops, then a search there.
    await tmux.keys(bob, 'C-p');
    await tmux.until(bob, (s) => s.includes('ann: deploy done') && !s.includes('psst bob'), 'back in ops');
    await tmux.type(bob, '/search check', true);
    const found = await tmux.until(bob, (s) => /1 hit\b/.test(s) && s.includes('can you check'), 'a search hit');
    expect(found).toContain(`#${ops}`);

    await tmux.keys(bob, 'Escape');
    await tmux.keys(bob, 'C-c');
    await tmux.until(bob, (s) => s.includes('EXITED 0'), 'a clean exit');
  }, 120_000);
});
