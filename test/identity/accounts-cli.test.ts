/**
 * A team server from the command line, as a new user runs it: `rtchat user`
 * makes accounts in the server's data dir while it runs, `rtchat login`
 * saves a token (mode 0600), and send, tail, rooms, who and piped join use it
 * without --token; a rotated token ends with one line and exit 3; a private
 * room is invisible to others; the server's logs never hold a token.
 */
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  http,
  makeTempDir,
  removeDir,
  runRtchat,
  type ServeProcess,
  spawnServe,
  stopIfStarted,
  waitFor,
} from '../helpers/index.js';

let dir: string;
let config: string;
let serve: ServeProcess;
const tokens: string[] = [];

beforeAll(async () => {
  dir = await makeTempDir('rtchat-team-');
  config = join(dir, 'config');
  serve = await spawnServe(['--data', join(dir, 'data'), '--log-level', 'debug']);
}, 30_000);

afterAll(async () => {
  await stopIfStarted(serve, (s) => s.stop());
  await removeDir(dir);
});

const admin = (...args: string[]) => runRtchat([...args, '--data', join(dir, 'data')]);
const as = (who: string) => ({ env: { XDG_CONFIG_HOME: join(config, who) } });

describe('a team server with accounts', () => {
  it('user add prints a token once; login saves it 0600; every client command uses it', async () => {
    const added = await admin('user', 'add', 'ann');
    expect(added.code, added.stderr).toBe(0);
    const token = added.stdout.trim();
    tokens.push(token);
    expect(token).toMatch(/^rtc1\.ann\.[\w-]{43}$/);
    expect(added.stderr).toContain('shown only now');
    expect((await admin('user', 'list')).stdout).toMatch(/^ann\tcreated /);

    const login = await runRtchat(['login', '--server', serve.url], { ...as('ann'), input: `${token}\n` });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toContain(`logged in to ${serve.url} as ann`);
    const file = join(config, 'ann', 'rtchat', 'credentials');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { servers: Record<string, { token: string }> };
    expect(saved.servers[new URL(serve.url).origin]?.token).toBe(token);

    const common = ['--server', serve.url, '--room', 'team', '--nick', 'not-ann'];
    const sent = await runRtchat(['send', ...common, 'hello team'], as('ann'));
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toBe('1\n');
    const tail = await runRtchat(['tail', ...common, '--since', '0', '--count', '1'], as('ann'));
    expect(tail.code, tail.stderr).toBe(0);
    expect(tail.stdout).toMatch(/ann: hello team/);
    const piped = await runRtchat(['join', ...common], { ...as('ann'), input: 'from a pipe\n' });
    expect(piped.code, piped.stderr).toBe(0);
    const rooms = await runRtchat(['rooms', '--server', serve.url, '--json'], as('ann'));
    expect(rooms.code, rooms.stderr).toBe(0);
    expect(rooms.stdout).toContain('"room":"team"');
    const who = await runRtchat(['who', '--server', serve.url, '--room', 'team'], as('ann'));
    expect(who.code, who.stderr).toBe(0);
  });

  it('without a login every client command is refused with one line and exit 3', async () => {
    for (const args of [['send', 'x'], ['tail', '--count', '1'], ['rooms'], ['who']]) {
      const r = await runRtchat([...args, '--server', serve.url], as('nobody'));
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toMatch(
        /^rtchat: the server needs a token \(\S+\); pass --token, set RTCHAT_TOKEN or run rtchat login\n$/,
      );
    }
  });

  it('a rotated token stops working at once; a removed account too', async () => {
    const rotated = await admin('user', 'token', 'ann');
    expect(rotated.code).toBe(0);
    tokens.push(rotated.stdout.trim());
    const r = await runRtchat(['send', '--server', serve.url, 'still me?'], as('ann'));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^rtchat: the server refused the token \(\S+\); check --token, RTCHAT_TOKEN or rtchat login\n$/,
    );
    const again = await runRtchat(['login', '--server', serve.url, '--token', rotated.stdout.trim()], as('ann'));
    expect(again.code, again.stderr).toBe(0);
    expect((await runRtchat(['send', '--server', serve.url, 'new token'], as('ann'))).code).toBe(0);
    expect((await admin('user', 'remove', 'ann')).code).toBe(0);
    const gone = await runRtchat(['tail', '--server', serve.url, '--count', '1'], as('ann'));
    expect(gone.code).toBe(3);
    expect((await admin('user', 'remove', 'ann')).stderr).toBe('rtchat: no account ann\n');
  });

  it('a private room is seen and used by its members only', async () => {
    const bob = (await admin('user', 'add', 'bob')).stdout.trim();
    const eve = (await admin('user', 'add', 'eve')).stdout.trim();
    tokens.push(bob, eve);
    const created = await admin('room', 'create', 'ops', '--private', '--members', 'bob');
    expect(created.code, created.stderr).toBe(0);
    const post = (token: string) =>
      runRtchat(['send', '--server', serve.url, '--room', 'ops', '--token', token, 'secret']);
    expect((await post(bob)).code).toBe(0);
    const denied = await post(eve);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/no such room/);
    const list = (token: string) => runRtchat(['rooms', '--server', serve.url, '--json', '--token', token]);
    expect((await list(bob)).stdout).toContain('"room":"ops"');
    expect((await list(eve)).stdout).not.toContain('"room":"ops"');
    expect((await admin('room', 'allow', 'ops', 'eve')).code).toBe(0);
    expect((await post(eve)).code).toBe(0);
    expect((await admin('room', 'deny', 'ops', 'eve')).code).toBe(0);
    expect((await post(eve)).code).toBe(1);
    expect((await admin('room', 'list')).stdout).toBe('ops\tbob\n');
  });

  it('room create|allow|deny refuse dm- names: they are reserved for direct messages', async () => {
    for (const args of [
      ['create', 'dm-x', '--private', '--members', 'bob'],
      ['allow', 'dm-x', 'eve'],
    ]) {
      const r = await admin('room', ...args);
      expect([r.code, r.stderr], args.join(' ')).toEqual([
        2,
        'rtchat: dm-x: names starting with dm- are reserved for direct messages\n',
      ]);
    }
    expect((await admin('room', 'list')).stdout).not.toContain('dm-x');
  });

  it("the server's logs hold no token", async () => {
    // Tokens went in headers and in ?token= (the WebSocket and SSE of tail, the query of a poll).
    const r = await runRtchat([
      'tail',
      '--server',
      serve.url,
      '--via',
      'longpoll',
      '--count',
      '1',
      '--timeout',
      '1',
      '--token',
      tokens[2] ?? '',
    ]);
    expect(r.code).not.toBe(3);
    // A browser puts its credential in the URL: as a token, and as a ticket bought with it.
    const bob = tokens[2] ?? '';
    expect((await http(`${serve.url}/rooms?token=${encodeURIComponent(bob)}`)).status).toBe(200);
    const ticket = (await http(`${serve.url}/auth/ticket`, { method: 'POST', token: bob })).json as { ticket: string };
    tokens.push(ticket.ticket);
    expect((await http(`${serve.url}/rooms/lobby/messages?timeout=0&ticket=${ticket.ticket}`)).status).toBe(200);
    const logs = await waitFor(() => (serve.stderr().includes('ticket=') ? serve.stderr() : undefined), {
      what: 'the ticket request logged',
    });
    expect(logs).toContain('token=%5Bredacted%5D');
    expect(logs).toContain('ticket=%5Bredacted%5D');
    expect(logs).toContain('"msg":"request"');
    for (const t of tokens) {
      expect(logs).not.toContain(t);
      expect(logs).not.toContain(t.split('.')[2]);
    }
  });
});
