/**
 * The set-up most server and CLI test files share: one real server for the
 * file (or the enclosing `describe`), started in `beforeAll` and closed in
 * `afterAll`, with every client a test opened closed after each test.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.js';
import { closeAllClients } from './tracker.js';

/**
 * Registers the hooks and returns a handle whose fields read the server that
 * `beforeAll` started; reading one outside a test or a later hook throws.
 */
export function useTestServer(options: TestServerOptions = {}): TestServer {
  let current: TestServer | undefined;
  const get = (): TestServer => {
    if (current === undefined) throw new Error('the test server starts in beforeAll: use it inside tests and hooks');
    return current;
  };
  beforeAll(async () => {
    current = await startTestServer(options);
  });
  afterEach(() => closeAllClients());
  afterAll(() => current?.close());
  return {
    get url() {
      return get().url;
    },
    get wsUrl() {
      return get().wsUrl;
    },
    get port() {
      return get().port;
    },
    get store() {
      return get().store;
    },
    get dir() {
      return get().dir;
    },
    get server() {
      return get().server;
    },
    close: () => get().close(),
  };
}
