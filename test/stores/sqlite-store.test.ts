import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore, type SqliteStoreOptions } from '../../src/server/stores/local/sqlite-store.js';
import { describeStoreContract, EventLog, uniqueRoom } from './store-contract.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtchat-sqlite-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function openStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  const store = new SqliteStore(options);
  await store.open();
  return store;
}

describeStoreContract(
  'SqliteStore',
  async ({ retain }) => {
    // The nested dir checks that the store creates it.
    const dir = join(mkdtempSync(join(tmpdir(), 'rtchat-sqlite-')), 'nested', 'data');
    const opened: SqliteStore[] = [await openStore({ dir, retain })];
    return {
      store: opened[0]!,
      reopen: async () => {
        const store = await openStore({ dir, retain });
        opened.push(store);
        return store;
      },
      cleanup: async () => {
        for (const store of opened) await store.close();
        rmSync(join(dir, '..', '..'), { recursive: true, force: true });
      },
    };
  },
  { persistent: true },
);

describe('SqliteStore', () => {
  it('commits the appends of one tick in one batch', async () => {
    const store = await openStore({ dir: tempDir() });
    const log = new EventLog();
    store.subscribe(log.listener);
    const room = uniqueRoom();
    const first = await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.append({ room, nick: 'n', text: `${i}` })),
    );
    const second = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.append({ room, nick: 'n', text: `${i}` })),
    );
    const batches = log.events.flatMap((e) => (e.kind === 'messages' ? [e.messages.length] : []));
    expect(batches).toEqual([200, 50]);
    expect(new Set(first.map((r) => r.message.ts)).size).toBe(1);
    expect(second.at(-1)?.message.seq).toBe(250);
    await store.close();
  });

  it('lets only one process own the database', async () => {
    const dir = tempDir();
    const store = await openStore({ dir });
    await expect(openStore({ dir, busyTimeoutMs: 50 })).rejects.toThrow(/locked|busy/i);
    await store.close();
    const again = await openStore({ dir });
    await again.close();
  });

  it('gives rooms new epochs when the database is wiped', async () => {
    const dir = tempDir();
    const room = uniqueRoom();
    const store = await openStore({ dir });
    const before = await store.ensureRoom(room);
    await store.append({ room, nick: 'n', cid: 'c', text: 'x' });
    await store.close();
    for (const name of readdirSync(dir)) rmSync(join(dir, name));
    const fresh = await openStore({ dir });
    expect(await fresh.roomState(room)).toBeUndefined();
    const after = await fresh.ensureRoom(room);
    expect(after).toMatchObject({ head: 0, tail: 1 });
    expect(after.epoch).not.toBe(before.epoch);
    expect((await fresh.append({ room, nick: 'n', cid: 'c', text: 'y' })).status).toBe('created');
    await fresh.close();
  });

  it('applies a lowered retain when it opens', async () => {
    const dir = tempDir();
    const room = uniqueRoom();
    const store = await openStore({ dir });
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.append({ room, nick: 'n', text: `${i + 1}` })));
    await store.close();
    const smaller = await openStore({ dir, retain: 4 });
    expect(await smaller.roomState(room)).toMatchObject({ head: 10, tail: 7 });
    expect((await smaller.read(room, 0, 100)).map((m) => m.seq)).toEqual([7, 8, 9, 10]);
    await smaller.close();
  });

  it('prunes expired cids, and only those', async () => {
    const dir = tempDir();
    const room = uniqueRoom();
    const store = await openStore({ dir });
    for (let i = 0; i < 5; i++) await store.append({ room, nick: 'n', cid: `c${i}`, text: 'x' });
    await store.close();
    const countCids = (): number => {
      const db = new Database(join(dir, 'rtchat.db'), { readonly: true });
      const n = db.prepare('SELECT count(*) FROM cids').pluck().get() as number;
      db.close();
      return n;
    };
    expect(countCids()).toBe(5);
    // Opening prunes; with the default ttl nothing has expired yet.
    await (await openStore({ dir })).close();
    expect(countCids()).toBe(5);
    await (await openStore({ dir, cidTtlMs: -1 })).close();
    expect(countCids()).toBe(0);
    expect((await (await openStore({ dir })).read(room, 0, 10)).length).toBe(5);
  });

  it('keeps every acknowledged message through kill -9', async () => {
    const dir = tempDir();
    const storeUrl = transpileStores();
    const child = spawn(process.execPath, [join(here, 'fixtures', 'append-until-killed.mjs'), storeUrl, dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    const acked = new Map<string, number>();
    const lines = createInterface({ input: child.stdout });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`child acked ${acked.size} messages in time; ${stderr}`)),
        20_000,
      );
      lines.on('line', (line) => {
        const [seq, cid] = line.split(' ');
        if (cid === undefined) return;
        acked.set(cid, Number(seq));
        if (acked.size >= 500) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => reject(new Error(`child exited early: ${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const store = await openStore({ dir });
    try {
      const state = await store.roomState('crash');
      expect(state).toBeDefined();
      const stored = await store.read('crash', 0, 1_000_000);
      expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: state!.head }, (_, i) => i + 1));
      const byCid = new Map(stored.map((m) => [m.cid, m]));
      for (const [cid, seq] of acked) {
        expect(byCid.get(cid)).toMatchObject({ seq, text: `text of ${cid}` });
      }
      const retry = await store.append({
        room: 'crash',
        nick: 'bot',
        session: 'fixture-session-0001',
        cid: 'k0',
        text: 'text of k0',
      });
      expect(retry).toMatchObject({ status: 'duplicate', message: { seq: acked.get('k0') } });
    } finally {
      await store.close();
    }
  });
});

/**
 * Emits plain JS of the stores and the protocol (no type check) where a child
 * node process can import it, under node_modules so `better-sqlite3` resolves.
 * Returns the file URL of sqlite-store.js.
 */
function transpileStores(): string {
  const out = join(root, 'node_modules', '.cache', 'rtchat-store-tests', String(process.pid));
  dirs.push(out);
  for (const sub of ['protocol', join('server', 'stores'), join('server', 'stores', 'local')]) {
    const from = join(root, 'src', sub);
    for (const name of readdirSync(from).filter((n) => n.endsWith('.ts'))) {
      const source = readFileSync(join(from, name), 'utf8');
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, esModuleInterop: true },
        fileName: name,
      });
      const target = join(out, relative(join(root, 'src'), from), name.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, outputText);
    }
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  return pathToFileURL(join(out, 'server', 'stores', 'local', 'sqlite-store.js')).href;
}
