/**
 * `GET /rooms/{room}/search` on the real server: finds messages by word on
 * SQLite across a restart, drops what retention removed, pages with
 * before/limit, refuses bad input with 400 and private rooms with 404.
 */
import { SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SearchAnswer } from '../../src/protocol/index.js';
import {
  http,
  makeTempDir,
  newRoom,
  postMany,
  postMessage,
  removeDir,
  startTestServer,
  useTestServer,
  withQuery,
  type Query,
  type TestServer,
} from '../helpers/index.js';

const servers: TestServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await removeDir(d);
});

async function search(base: string, room: string, query: Query, token?: string) {
  const res = await http(withQuery(`${base}/rooms/${room}/search`, query), token === undefined ? {} : { token });
  return { status: res.status, body: res.json as SearchAnswer & { code?: string } };
}

async function seqsOf(base: string, room: string, q: string): Promise<number[]> {
  const { status, body } = await search(base, room, { q });
  expect(status).toBe(200);
  return body.results.map((m) => m.seq);
}

describe('search on SQLite', () => {
  it('finds messages by word, and still after a restart', async () => {
    const dir = await makeTempDir();
    dirs.push(dir);
    const a = await startTestServer({ sqlite: true, dir });
    servers.push(a);
    const room = newRoom('s');
    for (const text of ['the deploy is done', 'who is at lunch?', 'Deploying again', 'DEPLOY rolled back']) {
      expect((await postMessage(a.url, room, { nick: 'ann', text })).status).toBe(201);
    }
    const { status, body } = await search(a.url, room, { q: 'deploy' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ type: 'search', room, more: false });
    expect(body.results.map((m) => [m.seq, m.nick, m.text])).toEqual([
      [4, 'ann', 'DEPLOY rolled back'],
      [1, 'ann', 'the deploy is done'],
    ]);
    expect(body.results[0]).toMatchObject({ type: 'message', room, cid: expect.any(String) as string });
    expect(body).not.toHaveProperty('scanned');
    expect(await seqsOf(a.url, room, 'deploy*')).toEqual([4, 3, 1]);
    await servers.pop()!.close();

    const b = await startTestServer({ sqlite: true, dir });
    servers.push(b);
    expect(await seqsOf(b.url, room, 'deploy')).toEqual([4, 1]);
    expect((await postMessage(b.url, room, { nick: 'bob', text: 'deploy after the restart' })).status).toBe(201);
    expect(await seqsOf(b.url, room, 'deploy restart')).toEqual([5]);
  });

  it('drops the messages retention removed', async () => {
    const srv = await startTestServer({ sqlite: true, retain: 5 });
    servers.push(srv);
    const room = newRoom('ret');
    await postMany(srv.url, room, 12, { prefix: 'note ' });
    expect(await seqsOf(srv.url, room, 'note')).toEqual([12, 11, 10, 9, 8]);
    expect(await seqsOf(srv.url, room, '3')).toEqual([]);
    expect(await seqsOf(srv.url, room, '8')).toEqual([8]);
  });
});

describe('search paging and input', () => {
  const srv = useTestServer();
  const room = newRoom('page');
  beforeAll(async () => {
    // Set up through the store: 130 messages, all hits but every tenth.
    for (let i = 1; i <= 130; i++) {
      await srv.store.append({ room, nick: 'ann', text: i % 10 ? `hit ${i}` : `miss ${i}` });
    }
  });

  it('pages with before and limit, newest first', async () => {
    const first = (await search(srv.url, room, { q: 'hit', limit: 3 })).body;
    expect(first.results.map((m) => m.seq)).toEqual([129, 128, 127]);
    expect(first).toMatchObject({ more: true, next: 127 });
    const second = (await search(srv.url, room, { q: 'hit', limit: 3, before: first.next })).body;
    expect(second.results.map((m) => m.seq)).toEqual([126, 125, 124]);
    const last = (await search(srv.url, room, { q: 'hit', before: 12 })).body;
    expect(last.results.map((m) => m.seq)).toEqual([11, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(last.more).toBe(false);
    expect(last).not.toHaveProperty('next');
    // Default 20, at most 100.
    expect((await search(srv.url, room, { q: 'hit' })).body.results).toHaveLength(20);
    const big = (await search(srv.url, room, { q: 'hit', limit: 1000 })).body;
    expect(big.results).toHaveLength(100);
    // 9 hits per ten seqs: 129..21 hold 99 of them, and the 100th is 19.
    expect(big).toMatchObject({ more: true, next: 19 });
  });

  it('has no hits in a room that does not exist', async () => {
    expect(await search(srv.url, newRoom('none'), { q: 'hit' })).toEqual({
      status: 200,
      body: { type: 'search', room: expect.any(String) as string, results: [], more: false },
    });
  });

  it('refuses a bad query with 400 bad_request', async () => {
    // U+1D400, a letter outside the BMP: one code point, two UTF-16 units.
    const long = '𝐀'.repeat(201);
    for (const query of [
      {},
      { q: '' },
      { q: '   ' },
      { q: '*** -- ""' },
      { q: long },
      { q: 'hit', limit: 0 },
      { q: 'hit', limit: -1 },
      { q: 'hit', limit: 'ten' },
      { q: 'hit', before: 'x' },
    ] as Query[]) {
      const { status, body } = await search(srv.url, room, query);
      expect([status, body.code], JSON.stringify(query)).toEqual([400, 'bad_request']);
    }
    // 200 code points are fine, whatever their UTF-16 length.
    expect((await search(srv.url, room, { q: '𝐀'.repeat(200) })).status).toBe(200);
    expect((await search(srv.url, 'Bad Room', { q: 'hit' })).body.code).toBe('invalid_room');
    const post = await http(`${srv.url}/rooms/${room}/search?q=hit`, { method: 'POST' });
    expect([post.status, post.headers.allow]).toEqual([405, 'GET']);
  });
});

describe('search in a private room', () => {
  const SECRET = 'a-shared-secret-of-at-least-32-bytes!';
  const srv = useTestServer({ jwt: { secret: SECRET } });
  const ops = newRoom('ops');
  const token = (sub: string): Promise<string> =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));

  it('finds for members and is 404 not_found for anyone else, bad query or not', async () => {
    await srv.store.identity.putRoomAccess({ room: ops, members: ['ann', 'bob'] });
    const [ann, eve] = [await token('ann'), await token('eve')];
    expect((await postMessage(srv.url, ops, { nick: 'ann', text: 'the secret plan' }, { token: ann })).status).toBe(
      201,
    );
    const member = await search(srv.url, ops, { q: 'secret' }, ann);
    expect(member.body.results.map((m) => m.text)).toEqual(['the secret plan']);
    for (const q of ['secret', '']) {
      const other = await search(srv.url, ops, { q }, eve);
      expect([other.status, other.body], q).toEqual([
        404,
        { type: 'error', code: 'not_found', message: 'no such room' },
      ]);
    }
    expect((await search(srv.url, ops, { q: 'secret' })).status).toBe(401);
  });
});
