/**
 * Repeated connection errors collapse (issue 11, finding 11): with `auto`,
 * a server that stays away is one reason in the reconnecting state and an
 * attempt count, not a warning per transport per retry; and the reason is in
 * a person's words, never a library's raw text. Real client, real sockets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../src/client/types.js';
import { TRANSPORTS, waitFor } from '../helpers/index.js';
import { closedPort } from '../cli/cli-fixtures.js';
import { FAST, Tracked } from './support.js';

const t = new Tracked();
afterEach(() => t.stopAll());

describe('a server that stays away', () => {
  it('auto: no warning per retry; the attempt count and one reason say it', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const c = t.client({ servers: [url], room: 'lobby', nick: 'ann', via: 'auto', ...FAST });
    const warnings: string[] = [];
    const retries: Extract<ConnectionState, { name: 'reconnecting' }>[] = [];
    c.on('warning', (w) => warnings.push(w));
    c.on('state', ({ newState }) => {
      if (newState.name === 'reconnecting') retries.push(newState);
    });
    void c.start();
    await waitFor(() => retries.length >= 4, { what: 'four failed attempts' });
    expect(warnings).toEqual([]);
    expect(retries.map((r) => r.attempt).slice(0, 4)).toEqual([1, 2, 3, 4]);
    // Every transport failed the same way, so the reason is said once.
    expect(new Set(retries.map((r) => r.reason))).toEqual(new Set(['connection refused']));
  });

  it.each(TRANSPORTS)(
    'an https URL on a plain server over %s: it stops with a reason in words, not OpenSSL text',
    async (via) => {
      const { startTestServer } = await import('../helpers/index.js');
      const plain = await startTestServer();
      try {
        const c = t.client({
          servers: [plain.url.replace('http:', 'https:')],
          room: 'lobby',
          nick: 'ann',
          via,
          ...FAST,
        });
        const states: string[] = [];
        c.on('state', ({ newState }) => {
          if (newState.name === 'reconnecting' || newState.name === 'offline')
            states.push(newState.name + ': ' + newState.reason);
        });
        // Retrying cannot fix a wrong scheme: the client stops at once, and says why in words.
        await expect(c.start()).rejects.toMatchObject({
          code: 'tls',
          message: 'the server does not speak TLS (https)',
        });
        expect(states).toEqual(['offline: tls']);
      } finally {
        await t.stopAll();
        await plain.close();
      }
    },
  );
});
