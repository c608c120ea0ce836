/**
 * `rtchat send --to NAME` (opens the DM room, then sends into it) and
 * `rtchat unread [--json]`, run as the real binary: with accounts the
 * server's markers and DMs; without, this machine's markers file against
 * the heads of GET /rooms. One line on stderr and the exit code on errors.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalMarkers } from '../../src/client/local-markers.js';
import { markRead } from '../../src/client/read-markers.js';
import { dmRoomName } from '../../src/protocol/index.js';
import { Accounts } from '../../src/server/identity/accounts.js';
import { makeTempDir, newRoom, postMany, removeDir, runRtchat, useTestServer } from '../helpers/index.js';
import { closedPort, roomMessages } from './cli-fixtures.js';

let home: string;
beforeAll(async () => {
  home = await makeTempDir('rtchat-dm-cli-');
});
afterAll(() => removeDir(home));

/** No saved login and a state dir of this file's own. */
const env = (): Record<string, string> => ({
  XDG_CONFIG_HOME: join(home, 'config'),
  RTCHAT_STATE_DIR: join(home, 'state'),
});

describe('with accounts', () => {
  const srv = useTestServer();
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    const accounts = new Accounts(srv.store.identity);
    for (const name of ['ann', 'bob']) tokens[name] = await accounts.add(name);
  });
  const as = (who: string): string[] => ['--server', srv.url, '--token', tokens[who]!];

  it('send --to opens the DM room and sends into it; the peer reads it there', async () => {
    const r = await runRtchat(['send', ...as('ann'), '--to', 'bob', 'lunch?'], { env: env() });
    expect([r.code, r.stderr, r.stdout]).toEqual([0, '', '1\n']);
    const again = await runRtchat(['send', ...as('ann'), '--to', '@bob', '--json'], {
      env: env(),
      input: 'at noon\nor one\n',
    });
    expect(again.code, again.stderr).toBe(0);
    expect(
      again.stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { seq: number }).seq),
    ).toEqual([2, 3]);
    const msgs = await roomMessages(srv.url, dmRoomName('ann', 'bob'), tokens.bob);
    expect(msgs.map((m) => `${m.nick}: ${m.text}`)).toEqual(['ann: lunch?', 'ann: at noon', 'ann: or one']);
  });

  it('send --to refuses an unknown account, oneself and a bad name with one line', async () => {
    const unknown = await runRtchat(['send', ...as('ann'), '--to', 'nobody', 'hi'], { env: env() });
    expect([unknown.code, unknown.stderr]).toEqual([1, `rtchat: ${srv.url}: no account nobody\n`]);
    const self = await runRtchat(['send', ...as('ann'), '--to', 'ann', 'hi'], { env: env() });
    expect(self.code).toBe(1);
    expect(self.stderr).toMatch(/^rtchat: .*another account than yours \(bad_request\)\n$/);
    const bad = await runRtchat(['send', ...as('ann'), '--to', 'Bob!', 'hi'], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^rtchat: --to must name an account/);
    // Both a DM and a room: which one was meant is unclear, so nothing is sent.
    const both = await runRtchat(['send', ...as('ann'), '--to', 'bob', '--room', 'lobby', 'hi'], { env: env() });
    expect([both.code, both.stderr]).toEqual([2, 'rtchat: --to sends to a DM: give --to or --room, not both\n']);
  });

  it('unread lists rooms and DMs with unread messages, as lines or JSON lines', async () => {
    const room = newRoom('unread');
    await postMany(srv.url, room, 50, { token: tokens.bob });
    await markRead({ server: srv.url, token: tokens.ann, room, seq: 40 });
    const quiet = newRoom('quiet');
    await postMany(srv.url, quiet, 2, { token: tokens.bob });
    await markRead({ server: srv.url, token: tokens.ann, room: quiet, seq: 2 });
    // bob's view: the DM ann opened above, never read by him.
    const lines = await runRtchat(['unread', ...as('bob')], { env: env() });
    expect([lines.code, lines.stderr, lines.stdout]).toEqual([0, '', '@ann 3 unread\n']);
    const ann = await runRtchat(['unread', ...as('ann')], { env: env() });
    expect(ann.stdout).toBe(`#${room} 10 unread\n`);
    const json = await runRtchat(['unread', ...as('ann'), '--json', '--all'], { env: env() });
    expect(json.code, json.stderr).toBe(0);
    const rows = json.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.find((r) => r.room === room)).toMatchObject({ head: 50, read: 40, unread: 10, dm: false });
    expect(rows.find((r) => r.room === quiet)).toMatchObject({ unread: 0 });
    // Sending is reading: ann's own DMs moved her marker, so the DM shows nothing unread for her.
    expect(rows.find((r) => r.dm === true)).toMatchObject({
      peer: 'bob',
      room: dmRoomName('ann', 'bob'),
      read: 3,
      unread: 0,
    });
  });

  it('unread without a token is refused with one line and exit 3', async () => {
    const r = await runRtchat(['unread', '--server', srv.url], { env: env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^rtchat: the server needs a token/);
  });
});

describe('without accounts', () => {
  const open = useTestServer();

  it('unread counts from the markers file in the state dir against GET /rooms', async () => {
    const room = newRoom('local');
    const gone = newRoom('never-used');
    await postMany(open.url, room, 12);
    const markers = new LocalMarkers({ env: env() });
    await markers.load();
    markers.set(open.url, room, { seq: 5, epoch: 'e1e1e1e1e1e1e1e1' });
    markers.set(open.url, gone, { seq: 1, epoch: 'e1e1e1e1e1e1e1e1' });
    await markers.save();
    const r = await runRtchat(['unread', '--server', open.url], { env: env() });
    expect([r.code, r.stderr, r.stdout]).toEqual([0, '', `#${room} 7 unread\n`]);
    const json = await runRtchat(['unread', '--server', open.url, '--json'], { env: env() });
    expect(JSON.parse(json.stdout)).toEqual({ room, head: 12, read: 5, unread: 7, dm: false });
    // A failover list is one store: markers are keyed by its first server, even while that one is down.
    const down = `http://127.0.0.1:${await closedPort()}`;
    const failover = new LocalMarkers({ env: env() });
    await failover.load();
    failover.set(down, room, { seq: 10, epoch: 'e1e1e1e1e1e1e1e1' });
    await failover.save();
    const via = await runRtchat(['unread', '--server', `${down},${open.url}`], { env: env() });
    expect([via.code, via.stderr, via.stdout]).toEqual([
      0,
      '',
      `#${room} 2 unread
`,
    ]);
    // Another state dir: no markers, nothing to say.
    const fresh = await runRtchat(['unread', '--server', open.url], {
      env: { ...env(), RTCHAT_STATE_DIR: join(home, 'other') },
    });
    expect([fresh.code, fresh.stdout]).toEqual([0, '']);
  });

  it('send --to is refused: direct messages need an account', async () => {
    const r = await runRtchat(['send', '--server', open.url, '--to', 'bob', 'hi'], { env: env() });
    expect([r.code, r.stderr]).toEqual([
      1,
      `rtchat: ${open.url}: direct messages need an account (log in with an account token)\n`,
    ]);
  });
});
