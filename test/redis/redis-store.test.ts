import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../src/protocol/index.js';
import { RedisStore, type RedisStoreOptions } from '../../src/server/stores/redis/redis-store.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { stopIfStarted } from '../helpers/started.js';
import { waitFor } from '../helpers/wait-for.js';
import { EventLog, describeStoreContract, uniqueRoom } from '../stores/store-contract.js';

const ALL = { offset: 0, limit: 100 };

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await stopIfStarted(redis, (r) => r.cleanup());
});

async function openStore(options: Partial<RedisStoreOptions> = {}): Promise<RedisStore> {
  const store = new RedisStore({ url: redis.url, ...options });
  await store.open();
  return store;
}

describeStoreContract(
  'RedisStore',
  async ({ retain }) => {
    // A prefix per fixture keeps tests apart on the one server.
    const prefix = `t${randomBytes(4).toString('hex')}:`;
    const open = (): Promise<RedisStore> => openStore({ prefix, ...(retain !== undefined && { retain }) });
    const store = await open();
    return { store, reopen: open, cleanup: () => store.close() };
  },
  { persistent: true },
);

describe('RedisStore across nodes', () => {
  it('gives concurrent appends through two nodes contiguous seqs, announced on both', async () => {
    const prefix = `n${randomBytes(4).toString('hex')}:`;
    const [a, b] = await Promise.all([openStore({ prefix }), openStore({ prefix })]);
    try {
      const room = uniqueRoom();
      const [logA, logB] = [new EventLog(), new EventLog()];
      a.subscribe(logA.listener);
      b.subscribe(logB.listener);
      const sends = Array.from({ length: 200 }, (_, i) =>
        (i % 2 ? a : b).append({ room, nick: 'n', cid: `c${i}`, text: `t${i}` }),
      );
      const results = await Promise.all(sends);
      expect(results.map((r) => r.message.seq).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 200 }, (_, i) => i + 1),
      );
      for (const log of [logA, logB]) {
        await log.until((e) => e.kind === 'messages' && e.messages.some((m) => m.seq === 200));
        expect(log.messages(room).map((m) => m.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      }
      // Idempotency holds across nodes: node B knows node A's cid.
      const again = await b.append({ room, nick: 'n', cid: 'c1', text: 't1' });
      expect(again).toEqual({ status: 'duplicate', message: results[1]!.message });
      expect(await a.roomState(room)).toEqual(await b.roomState(room));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('drops the members of a node that stops refreshing them', async () => {
    const prefix = `p${randomBytes(4).toString('hex')}:`;
    const opts = { prefix, presenceTtlMs: 1500, presenceRefreshMs: 250 };
    const [a, b] = await Promise.all([openStore(opts), openStore(opts)]);
    try {
      const room = uniqueRoom();
      const logB = new EventLog();
      b.subscribe(logB.listener);
      await a.presenceUpsert(room, { key: 'sess-a-0123456789', nick: 'ann', via: 'ws', since: 1 });
      await b.presenceUpsert(room, { key: 'sess-b-0123456789', nick: 'bob', via: 'sse', since: 2 });
      // Both nodes hold one session: it stays while either does.
      await b.presenceUpsert(room, { key: 'sess-a-0123456789', nick: 'ann', via: 'sse', since: 3 });
      const nicks = async (): Promise<string[]> => (await b.presence(room, ALL)).members.map((m) => m.nick);
      await waitFor(async () => (await nicks()).length === 2, { what: 'two members' });
      const before = (await b.presence(room, ALL)).version;
      await a.presenceRemove(room, 'sess-a-0123456789');
      expect(await nicks()).toEqual(['ann', 'bob']);
      await a.presenceUpsert(room, { key: 'sess-c-0123456789', nick: 'cy', via: 'longpoll', since: 4 });
      expect(await nicks()).toEqual(['ann', 'bob', 'cy']);
      // Node A dies without a word: once its lease expires B drops its holds; B's stay.
      await a.close();
      await logB.until((e) => e.kind === 'presence' && (e.version ?? 0) >= before + 2, 5000);
      expect(await nicks()).toEqual(['ann', 'bob']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('RedisStore bus', () => {
  it('fills in a batch published while its reader was disconnected, even in a quiet room', async () => {
    const prefix = `b${randomBytes(4).toString('hex')}:`;
    const a = await openStore({ prefix });
    // Node B reconnects slowly enough for a publish to fall in between.
    const b = await openStore({ prefix, backoff: { minMs: 400, maxMs: 400 } });
    const admin = new Redis(redis.url);
    try {
      const room = uniqueRoom();
      await b.ensureRoom(room);
      const logB = new EventLog();
      b.subscribe(logB.listener);
      await a.append({ room, nick: 'n', text: 'one' });
      await logB.until((e) => e.kind === 'messages' && e.messages.some((m) => m.seq === 1));
      const channel = `${prefix}bus`;
      await admin.client('KILL', 'TYPE', 'pubsub');
      // Only A's reader (back already, or not) may listen: B's must be gone.
      await waitFor(async () => {
        const [, n] = (await admin.pubsub('NUMSUB', channel)) as [string, number];
        return n <= 1;
      });
      await a.append({ room, nick: 'n', text: 'two' });
      // The last message of a quiet room: no later seq will reveal the hole.
      await logB.until((e) => e.kind === 'messages' && e.messages.some((m) => m.seq === 2), 5000);
      expect(logB.messages(room).map((m) => m.text)).toEqual(['one', 'two']);
    } finally {
      admin.disconnect();
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('RedisStore text', () => {
  it('carries any valid text unchanged through the script, the bus and the stream', async () => {
    const store = await openStore({ prefix: `u${randomBytes(4).toString('hex')}:` });
    try {
      const room = uniqueRoom();
      const log = new EventLog();
      store.subscribe(log.listener);
      const texts = [
        'emoji 😀 and 中文',
        'tab\tand\nnewline',
        'quotes " \\ / and </script>',
        '\u00a0nbsp \u200d zwj',
        'x'.repeat(4000),
      ];
      for (const text of texts) await store.append({ room, nick: 'ñíck 😀', text });
      await log.until((e) => e.kind === 'messages' && e.messages.some((m) => m.seq === texts.length));
      expect(log.messages(room).map((m) => m.text)).toEqual(texts);
      expect((await store.read(room, 0, 10)).map((m) => m.text)).toEqual(texts);
      expect(log.messages(room).every((m) => m.nick === 'ñíck 😀')).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('RedisStore after data loss', () => {
  it('gives a room a new epoch when Redis comes back without its acked tail', async () => {
    const prefix = `l${randomBytes(4).toString('hex')}:`;
    const store = await openStore({ prefix, backoff: { minMs: 50, maxMs: 50 } });
    const admin = new Redis(redis.url);
    try {
      const room = uniqueRoom();
      for (let i = 1; i <= 10; i++) await store.append({ room, nick: 'n', text: `t${i}` });
      const before = await store.roomState(room);
      expect(before?.head).toBe(10);
      // A rollback as an `everysec` AOF or an RDB snapshot would leave it: seqs 7..10 gone.
      await admin.xdel(`${prefix}{${room}}:log`, '7-0', '8-0', '9-0', '10-0');
      await admin.call('XSETID', `${prefix}{${room}}:log`, '6-0');
      await admin.hset(`${prefix}{${room}}:meta`, 'head', 6);
      const clients = (await admin.client('LIST')) as string;
      const id = /id=(\d+) .*name=rtchat-cmd-/.exec(
        clients.split('\n').find((l) => l.includes(' name=rtchat-cmd-')) ?? '',
      )?.[1];
      expect(id).toBeDefined();
      await admin.client('KILL', 'ID', id!);
      const after = await waitFor(
        async () => {
          const s = await store.roomState(room);
          return store.writable && s !== undefined && s.epoch !== before?.epoch ? s : undefined;
        },
        { what: 'a new epoch after the loss' },
      );
      expect(after).toMatchObject({ head: 6, tail: 1 });
      expect((await store.append({ room, nick: 'n', text: 'new' })).message.seq).toBe(7);
    } finally {
      admin.disconnect();
      await store.close();
    }
  });
});

describe('RedisStore search', () => {
  it('scans at most searchScan messages and says where it stopped', async () => {
    const store = await openStore({ prefix: `s${randomBytes(4).toString('hex')}:`, searchScan: 25 });
    try {
      const room = uniqueRoom();
      // Hits at seqs 5 and 95; 100 messages in all.
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          store.append({ room, nick: 'n', text: i === 4 || i === 94 ? `needle ${i + 1}` : `hay ${i + 1}` }),
        ),
      );
      const terms = parseSearchQuery('needle');
      const first = await store.search(room, { terms, limit: 10 });
      expect(first.results.map((m) => m.seq)).toEqual([95]);
      expect(first).toMatchObject({ more: true, next: 76, scanned: 25, complete: false });
      // Going on from `next` walks the log down, 25 at a time, to the old hit and the start.
      let page = first;
      const found = [...first.results];
      while (page.more) {
        page = await store.search(room, { terms, limit: 10, before: page.next });
        found.push(...page.results);
      }
      expect(found.map((m) => m.seq)).toEqual([95, 5]);
      expect(page).toMatchObject({ more: false, complete: true, scanned: 25 });
      // A full page stops the scan early, and is complete: nothing between its hits went unread.
      const full = await store.search(room, { terms: parseSearchQuery('hay'), limit: 3 });
      expect(full).toMatchObject({ more: true, next: 98, scanned: 4, complete: true });
      // Exactly at the bound with nothing below: complete.
      expect(await store.search(room, { terms, limit: 10, before: 26 })).toMatchObject({
        more: false,
        scanned: 25,
        complete: true,
      });
    } finally {
      await store.close();
    }
  });

  it('refuses a searchScan below 1', () => {
    expect(() => new RedisStore({ url: redis.url, searchScan: 0 })).toThrow(/searchScan must be a positive integer/);
  });
});
