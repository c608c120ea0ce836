/**
 * Bad HTTP input, as a table (bad-input-rows.ts, bad-input-route-rows.ts):
 * each row gets its status and code as a JSON error, and the server keeps
 * serving everyone else afterwards.
 */
import { describe, expect, it } from 'vitest';
import { http, newRoom, poll, postMessage, useTestServer } from '../helpers/index.js';
import { bodyRows, room } from './bad-input-rows.js';
import { routeRows } from './bad-input-route-rows.js';

const rows = [...bodyRows, ...routeRows];

const srv = useTestServer();

describe('bad HTTP input', () => {
  it.each(rows)('$name → $status $code', async ({ path, options, setup, status, code }) => {
    if (setup) await setup(srv.url);
    const res = await http(`${srv.url}${path}`, options);
    expect(res.status, res.text).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json).toEqual({ type: 'error', code, message: expect.any(String) as string });
    // Extension (docs/protocol.md 8.2): a 405 names the allowed methods.
    if (status === 405) expect(res.headers.allow).toMatch(/GET|POST/);
  });

  it('the longest valid nick and text (in code points, astral ones too) are accepted', async () => {
    const res = await postMessage(srv.url, newRoom('limits'), { nick: '😀'.repeat(32), text: '😀'.repeat(4000) });
    expect(res.status, res.text).toBe(201);
    const tabs = await postMessage(srv.url, newRoom('limits'), { nick: 'ann', text: 'a\tb\nc' });
    expect(tabs.status, tabs.text).toBe(201);
  });

  it('nothing bad was stored, and the server still serves normal clients', async () => {
    const res = await poll(srv.url, room, { after: 0, timeout: 1 });
    expect(res.status).toBe(200);
    expect(res.body.events.filter((e) => e.type === 'message').map((e) => 'text' in e && e.text)).toEqual(['original']);
    const ok = await postMessage(srv.url, room, { nick: 'ann', text: 'still fine' });
    expect(ok.status).toBe(201);
    const health = await http(`${srv.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
