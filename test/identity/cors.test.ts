/** `--cors`: preflights from listed origins are answered; nothing CORS is sent otherwise. */
import { describe, expect, it } from 'vitest';
import { parseCorsOrigins } from '../../src/server/http/cors.js';
import { http, newRoom, useTestServer } from '../helpers/index.js';

const APP = 'https://app.example.com';
const preflight = {
  method: 'OPTIONS',
  headers: {
    origin: APP,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'authorization, content-type',
  },
};

describe('with --cors', () => {
  const srv = useTestServer({ cors: [APP], token: 'sekrit' });

  it('answers a preflight from a listed origin, without asking for the token', async () => {
    const res = await http(`${srv.url}/rooms/${newRoom()}/messages`, preflight);
    expect(res.status).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'Authorization, Content-Type, Last-Event-ID',
      vary: 'Origin',
    });
  });

  it('marks answers to a listed origin, errors included, and nothing for another origin', async () => {
    const ok = await http(`${srv.url}/rooms`, { headers: { origin: APP }, token: 'sekrit' });
    expect(ok.headers['access-control-allow-origin']).toBe(APP);
    const denied = await http(`${srv.url}/rooms`, { headers: { origin: APP } });
    expect([denied.status, denied.headers['access-control-allow-origin']]).toEqual([401, APP]);
    const other = await http(`${srv.url}/rooms/x/messages`, {
      ...preflight,
      headers: { ...preflight.headers, origin: 'https://evil.example' },
    });
    expect(other.status).not.toBe(204);
    expect(Object.keys(other.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});

describe('without --cors', () => {
  const srv = useTestServer();
  it('sends no CORS header, even to a preflight', async () => {
    const res = await http(`${srv.url}/rooms`, preflight);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});

describe('parseCorsOrigins', () => {
  it('takes origins and refuses paths and other schemes', () => {
    expect(parseCorsOrigins('https://a.example, http://b.example:8080')).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
    expect(() => parseCorsOrigins('https://a.example/app')).toThrow(/not an origin/);
    expect(() => parseCorsOrigins('ftp://a.example')).toThrow(/not an origin/);
  });
});
