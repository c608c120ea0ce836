/**
 * Early refusals leave the connection clean: a request refused before its body
 * was read (413 from Content-Length, 415, 401, 404, 405, a bad room) is
 * answered only after the body was read and thrown away, and the connection
 * then serves the next request. Answering and closing while the body is still
 * coming resets the connection under the writer; behind nginx that is a
 * `Broken pipe`, a 502 and a node counted as failed.
 */
import { describe, expect, it } from 'vitest';
import { openRaw, rawRequest, type RawConnection } from '../helpers/raw-http.js';
import { useTestServer } from '../helpers/index.js';

const TOKEN = 'refusals-token';
const srv = useTestServer({ token: TOKEN });
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const JSON_CT = { 'Content-Type': 'application/json' };

/** Writes `body` in 16 KiB pieces, each awaited, as a proxy streaming it upstream does. */
async function writeInPieces(conn: RawConnection, body: Buffer): Promise<void> {
  for (let i = 0; i < body.length; i += 16 * 1024) await conn.write(body.subarray(i, i + 16 * 1024));
}

function jsonBody(size: number): Buffer {
  const prefix = '{"nick":"big","text":"';
  return Buffer.from(prefix + 'x'.repeat(size - prefix.length - 2) + '"}');
}

interface Row {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  size: number;
  status: number;
  code: string;
}

const rows: Row[] = [
  {
    name: '413, body over 64 KiB',
    method: 'POST',
    path: '/rooms/r/messages',
    headers: { ...AUTH, ...JSON_CT },
    size: 70_000,
    status: 413,
    code: 'too_large',
  },
  {
    name: '413 at the 256 KiB bound',
    method: 'POST',
    path: '/rooms/r/messages',
    headers: { ...AUTH, ...JSON_CT },
    size: 256 * 1024,
    status: 413,
    code: 'too_large',
  },
  {
    name: '415',
    method: 'POST',
    path: '/rooms/r/messages',
    headers: { ...AUTH, 'Content-Type': 'text/plain' },
    size: 60_000,
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: '401',
    method: 'POST',
    path: '/rooms/r/messages',
    headers: JSON_CT,
    size: 60_000,
    status: 401,
    code: 'unauthorized',
  },
  {
    name: '404',
    method: 'POST',
    path: '/nowhere',
    headers: { ...AUTH, ...JSON_CT },
    size: 60_000,
    status: 404,
    code: 'not_found',
  },
  {
    name: '405',
    method: 'PUT',
    path: '/rooms/r/messages',
    headers: { ...AUTH, ...JSON_CT },
    size: 60_000,
    status: 405,
    code: 'method_not_allowed',
  },
  {
    name: '400 bad room',
    method: 'POST',
    path: '/rooms/BAD/messages',
    headers: { ...AUTH, ...JSON_CT },
    size: 60_000,
    status: 400,
    code: 'invalid_room',
  },
];

describe('a refused body is read before the answer, and the connection serves on', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const conn = await openRaw(srv.port);
      const body = jsonBody(row.size);
      await conn.write(rawRequest(row.method, row.path, { ...row.headers, 'Content-Length': body.length }));
      await writeInPieces(conn, body);
      await conn.write(rawRequest('GET', '/healthz'));
      const [refusal, health] = await conn.responses(2);
      expect(refusal!.status).toBe(row.status);
      expect(JSON.parse(refusal!.body)).toMatchObject({ type: 'error', code: row.code });
      expect(refusal!.headers.connection).not.toBe('close');
      expect(health!.status).toBe(200);
      conn.close();
    });
  }

  it('413 for a chunked body over 64 KiB (no Content-Length), read to its end', async () => {
    const conn = await openRaw(srv.port);
    await conn.write(rawRequest('POST', '/rooms/r/messages', { ...AUTH, ...JSON_CT, 'Transfer-Encoding': 'chunked' }));
    const body = jsonBody(100_000);
    for (let i = 0; i < body.length; i += 16 * 1024) {
      const piece = body.subarray(i, i + 16 * 1024);
      await conn.write(Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]));
    }
    await conn.write('0\r\n\r\n' + rawRequest('GET', '/healthz'));
    const [refusal, health] = await conn.responses(2);
    expect(refusal!.status).toBe(413);
    expect(JSON.parse(refusal!.body)).toMatchObject({ code: 'too_large' });
    expect(health!.status).toBe(200);
    conn.close();
  });

  it('a body declared over the 256 KiB bound gets its 413 at once and Connection: close', async () => {
    const conn = await openRaw(srv.port);
    const headers = { ...AUTH, ...JSON_CT, 'Content-Length': 256 * 1024 + 1 };
    await conn.write(rawRequest('POST', '/rooms/r/messages', headers));
    const [refusal] = await conn.responses(1);
    expect(refusal!.status).toBe(413);
    expect(JSON.parse(refusal!.body)).toMatchObject({ code: 'too_large' });
    expect(refusal!.headers.connection).toBe('close');
    await conn.ended;
  });
});
