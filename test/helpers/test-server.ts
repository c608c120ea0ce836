/**
 * The real server, in process, on 127.0.0.1 and a free port. Memory store by
 * default; `{ sqlite: true }` gives a SqliteStore in a temp dir (kept when the
 * caller passes its own `dir`, so a test can restart on the same data).
 */
import { pino, type Logger } from 'pino';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/server.js';
import type { Store } from '../../src/server/stores/store.js';
import { makeTempDir, removeDir } from './tmp-dir.js';

export interface TestServerOptions extends Omit<ServerOptions, 'host' | 'port' | 'store' | 'logger'> {
  /** Use a SqliteStore instead of the default MemoryStore. Default false. */
  sqlite?: boolean;
  /** Data dir for `sqlite`; default a fresh temp dir, removed on close. */
  dir?: string;
  /** A ready-made store (overrides `sqlite`). */
  store?: Store;
  /** Default: silent, or `debug` to stderr when RTCHAT_TEST_LOG is set. */
  logger?: Logger;
}

export interface TestServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** `ws://127.0.0.1:PORT/ws`. */
  wsUrl: string;
  port: number;
  store: Store;
  /** The SQLite data dir, when there is one. */
  dir: string | undefined;
  server: RunningServer;
  /** Graceful close; idempotent; removes a temp dir this helper made. */
  close(): Promise<void>;
}

export function testLogger(): Logger {
  return process.env.RTCHAT_TEST_LOG ? pino({ level: 'debug' }, pino.destination(2)) : pino({ level: 'silent' });
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { sqlite = false, dir: givenDir, store: givenStore, logger, ...rest } = options;
  let store = givenStore;
  let dir = givenDir;
  let ownDir = false;
  if (!store && sqlite) {
    if (!dir) {
      dir = await makeTempDir();
      ownDir = true;
    }
    // Imported lazily so that memory-only tests do not need the SQLite module.
    const { SqliteStore } = await import('../../src/server/stores/local/sqlite-store.js');
    store = new SqliteStore({ dir, ...(rest.retain !== undefined && { retain: rest.retain }) });
  }
  let server: RunningServer;
  try {
    server = await startServer({
      ...rest,
      host: '127.0.0.1',
      port: 0,
      logger: logger ?? testLogger(),
      ...(store && { store }),
    });
  } catch (err) {
    if (ownDir && dir) await removeDir(dir);
    throw err;
  }
  const url = server.url.replace(/\/+$/, '');
  let closing: Promise<void> | undefined;
  return {
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/ws`,
    port: server.port,
    store: server.store,
    dir,
    server,
    close() {
      closing ??= (async () => {
        try {
          await server.close();
        } finally {
          if (ownDir && dir) await removeDir(dir);
        }
      })();
      return closing;
    },
  };
}
