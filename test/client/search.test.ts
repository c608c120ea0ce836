/** `searchRoom` (src/client/search.ts) against the real server: a page, the next one, and errors with their codes. */
import { beforeAll, expect, it } from 'vitest';
import { ClientError } from '../../src/client/errors.js';
import { searchRoom } from '../../src/client/search.js';
import { newRoom, postMany, useTestServer } from '../helpers/index.js';
import { closedPort } from '../cli/cli-fixtures.js';

const srv = useTestServer();
const room = newRoom('cs');

beforeAll(async () => {
  await postMany(srv.url, room, 5, { prefix: 'needle ' });
});

it('gets a page of hits and the next one', async () => {
  const first = await searchRoom({ server: srv.url, room, q: 'NEEDLE', limit: 3 });
  expect(first.results.map((m) => m.seq)).toEqual([5, 4, 3]);
  expect(first).toMatchObject({ more: true, next: 3 });
  expect(first.results[0]).toMatchObject({ type: 'message', room, text: 'needle 5' });
  const rest = await searchRoom({ server: srv.url, room, q: 'needle', before: first.next });
  expect(rest.results.map((m) => m.seq)).toEqual([2, 1]);
  expect(rest.more).toBe(false);
  expect(rest.next).toBeUndefined();
});

it("rejects with the server's code, or unreachable", async () => {
  const bad = await searchRoom({ server: srv.url, room, q: '!!' }).catch((e: unknown) => e);
  expect(bad).toBeInstanceOf(ClientError);
  expect(bad).toMatchObject({ code: 'bad_request' });
  await expect(searchRoom({ server: srv.url, room: 'No Room', q: 'x' })).rejects.toMatchObject({
    code: 'invalid_room',
  });
  const port = await closedPort();
  await expect(searchRoom({ server: `http://127.0.0.1:${port}`, room, q: 'x' })).rejects.toMatchObject({
    code: 'unreachable',
  });
});
