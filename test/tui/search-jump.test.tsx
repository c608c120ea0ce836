/**
 * /search as a user lives it, over a real server and a real ChatClient: 30
 * messages, 3 with a word; `/search WORD` lists the 3 hits and opens the
 * scrollback window on the newest; Up/Down move between them and each
 * selected hit's line is the window's bottom row; Enter on an empty line
 * returns to live. With a page of 1 hit, Down on the last hit asks the server
 * for the next page; a hit older than the lines kept is listed, selected
 * without a jump, and the panel says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, test } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { ChatClient } from '../../src/client/chat-client.js';
import { App } from '../../src/tui/app.js';
import { httpServices } from '../../src/tui/services.js';
import { newRoom, postMessage, useTestServer, waitFor } from '../helpers/index.js';
import { stripSgr } from './sgr.js';

// 60 posts from one address in a row: above the default burst (40) of the per-address limit.
const srv = useTestServer({ rateLimit: { burst: 1000 } });
const clients: ChatClient[] = [];
const stateDir = mkdtempSync(join(tmpdir(), 'rtchat-search-jump-'));
afterEach(async () => {
  cleanup();
  await Promise.all(clients.map((c) => c.stop()));
  clients.length = 0;
});
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const UP = '\x1b[A';
const DOWN = '\x1b[B';

/** 30 messages from ann; 8, 18 and 28 hold the word. */
async function thirty(room: string): Promise<void> {
  for (let i = 1; i <= 30; i++) {
    const text = i % 10 === 8 ? `the needle ${i}` : `hay ${i}`;
    expect((await postMessage(srv.url, room, { nick: 'ann', text })).status).toBe(201);
  }
}

async function bobRuns(room: string, o: { searchLimit?: number; maxLines?: number } = {}) {
  const client = new ChatClient({ servers: [srv.url], room, nick: 'bob', via: 'ws' });
  clients.push(client);
  const services = httpServices({ server: () => srv.url, markerServer: srv.url, env: { RTCHAT_STATE_DIR: stateDir } });
  const ui = render(<App client={client} services={services} server={srv.url} onQuit={() => undefined} {...o} />);
  await client.start();
  const frame = (): string => stripSgr(ui.lastFrame() ?? '');
  await waitFor(() => frame().includes('ann: hay 30'), { what: 'the history on screen' });
  /** The scrollback window's rows (between its bar and the panel); [] when following the stream. */
  const windowRows = (): string[] => {
    const f = frame();
    const at = f.indexOf('scrolled back');
    if (at < 0) return [];
    const rows = f.slice(at).split('\n').slice(1);
    const end = rows.findIndex((r) => r.includes('Search #'));
    return rows.slice(0, end < 0 ? rows.length : end).filter((r) => /\d\d:\d\d/.test(r));
  };
  /** The window's bottom row shows `text` (as a marked hit), and the panel selects it. */
  const onHit = (text: string): Promise<boolean> =>
    waitFor(
      () => {
        const last = windowRows().at(-1) ?? '';
        return last.includes(`> ann: ${text}`) && new RegExp(`> \\d\\d:\\d\\d:\\d\\d #\\d+ ann: ${text}`).test(frame());
      },
      { what: `the window and the panel on "${text}"` },
    );
  return { client, ui, frame, windowRows, onHit };
}

test('30 messages, 3 hits: Up/Down move between them, each on screen; Enter on an empty line: live', async () => {
  const room = newRoom('sj');
  await thirty(room);
  const bob = await bobRuns(room);
  bob.ui.stdin.write('/search needle\r');
  await waitFor(() => /Search #\S+ for "needle" · 3 hits/.test(bob.frame()), { what: '3 hits' });
  await bob.onHit('the needle 28');
  expect(bob.frame()).toContain('hit 1 of 3');

  bob.ui.stdin.write(DOWN);
  await bob.onHit('the needle 18');
  expect(bob.frame()).toContain('hit 2 of 3');
  bob.ui.stdin.write(DOWN);
  await bob.onHit('the needle 8');
  bob.ui.stdin.write(DOWN);
  bob.ui.stdin.write(UP);
  await bob.onHit('the needle 18');
  bob.ui.stdin.write(UP);
  await bob.onHit('the needle 28');

  bob.ui.stdin.write('\r');
  await waitFor(() => !bob.frame().includes('Search #') && bob.windowRows().length === 0, { what: 'live again' });
  // Up is the input history's again: the /search line comes back.
  bob.ui.stdin.write(UP);
  await waitFor(() => bob.frame().includes('/search needle'), { what: 'the input history' });
});

test('a page of 1: Down on the last hit asks for the next page; a hit older than the lines kept says so', async () => {
  const room = newRoom('sjp');
  await thirty(room);
  // 12 lines kept: messages 19..30 (and none of the system lines count as older).
  const bob = await bobRuns(room, { searchLimit: 1, maxLines: 12 });
  bob.ui.stdin.write('/search needle\r');
  await waitFor(() => bob.frame().includes('· 1+ hit'), { what: 'the first page' });
  await bob.onHit('the needle 28');

  bob.ui.stdin.write(DOWN);
  await waitFor(() => bob.frame().includes('· 2+ hits'), { what: 'the second page' });
  await waitFor(() => /> \d\d:\d\d:\d\d #\d+ ann: the needle 18/.test(bob.frame()), { what: '18 selected' });
  await waitFor(() => /#\d+ is older than the scrollback/.test(bob.frame()), { what: 'the older note' });
  // No jump: the window still ends on 28.
  expect(bob.windowRows().at(-1)).toContain('> ann: the needle 28');

  bob.ui.stdin.write(DOWN);
  await waitFor(() => /> \d\d:\d\d:\d\d #\d+ ann: the needle 8/.test(bob.frame()), { what: '8 selected' });
  expect(bob.frame()).toMatch(/3\+? hits/);
  bob.ui.stdin.write(UP);
  bob.ui.stdin.write(UP);
  await bob.onHit('the needle 28');
  bob.ui.stdin.write('\x1b');
  await waitFor(() => !bob.frame().includes('Search #') && bob.windowRows().length === 0, { what: 'Esc: live again' });
});
