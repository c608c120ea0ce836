/**
 * The soak at CI size: `npm run soak -- --conns 3000` as a child process
 * (its own rtchat server, two worker processes), 3,000 connections, a third
 * each WebSocket, SSE and long polling, every one with its own session and
 * nick, held idle in one room, then 20 messages one every 500 ms. Asserted:
 * every client was ready, and every client got every message once and in
 * order. Latency, drain and memory are reported, never asserted.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBuilt, makeTempDir, removeDir, ROOT, withTimeout } from '../helpers/index.js';
import type { SoakResult } from '../../src/bench/soak/types.js';

const CONNS = 3000;
/** The soak bounds each of its phases (ramp and ready 63 s, hold, broadcast, drain, stop); this bounds the child. */
const SOAK_MS = 330_000;

describe('soak', () => {
  let dir = '';
  beforeAll(async () => {
    if (!isBuilt()) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    dir = await makeTempDir('rtchat-soak-');
  });
  afterAll(async () => {
    if (dir) await removeDir(dir);
  });

  it(
    `${CONNS} members on mixed transports are all ready and get every message once, in order`,
    async () => {
      const out = join(dir, 'soak.json');
      const child = spawn(process.execPath, [join(ROOT, 'bench', 'soak.js'), '--conns', String(CONNS), '--json', out], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-20_000)));
      const code = await withTimeout(
        new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c))),
        SOAK_MS,
        'the soak to finish',
      ).catch((err: unknown) => {
        // SIGTERM: the soak stops the server and workers it started on its way out.
        child.kill('SIGTERM');
        throw err;
      });
      console.log(`[soak]\n${stdout}`);
      const result = JSON.parse(await readFile(out, 'utf8').catch(() => 'null')) as SoakResult | null;
      expect(result, `the soak wrote no result (exit ${code}); stderr:\n${stderr}`).not.toBeNull();
      if (!result) return;
      const what = `${result.problems.join('; ')}\n${stdout}`;
      expect(result.anonymous).toBe(false);
      expect(result.ready, what).toBe(CONNS);
      expect(result.lost, what).toBe(0);
      expect(result.duplicated, what).toBe(0);
      expect(result.outOfOrder, what).toBe(0);
      expect(result.complete, what).toBe(CONNS);
    },
    SOAK_MS + 30_000,
  );
});
