/**
 * Bad HTTP input, as a table: each row gets its status and code as a JSON
 * error, and the server keeps serving everyone else afterwards.
 */
import { describe, expect, it } from 'vitest';
import {
  http,
  newCid,
  newRoom,
  newSession,
  poll,
  postMessage,
  useTestServer,
  type HttpOptions,
} from '../helpers/index.js';

const srv = useTestServer();

const JSON_CT = { 'content-type': 'application/json' };
const room = 'badinput';
const msgPath = `/rooms/${room}/messages`;

function post(body: string | Buffer, headers: Record<string, string> = JSON_CT): HttpOptions {
  return { method: 'POST', headers, body };
}
function send(fields: Record<string, unknown>): HttpOptions {
  return post(JSON.stringify(fields));
}

interface Row {
  name: string;
  path: string;
  options?: HttpOptions;
  /** Runs first (e.g. to store the message a conflict needs). */
  setup?: () => Promise<void>;
  status: number;
  code: string;
}

const conflictKey = { nick: 'ann', session: newSession(), cid: newCid() };
const bigText = 'x'.repeat(70_000);

const rows: Row[] = [
  // Body shape and size
  { name: 'malformed JSON', path: msgPath, options: post('{"nick":"ann","text":'), status: 400, code: 'bad_request' },
  {
    name: 'JSON that is not an object',
    path: msgPath,
    options: post('["ann","hi"]'),
    status: 400,
    code: 'bad_request',
  },
  { name: 'JSON null', path: msgPath, options: post('null'), status: 400, code: 'bad_request' },
  { name: 'empty body', path: msgPath, options: post(''), status: 400, code: 'bad_request' },
  {
    name: 'text/plain content type',
    path: msgPath,
    options: post('{"nick":"a","text":"b"}', { 'content-type': 'text/plain' }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'form content type',
    path: msgPath,
    options: post('nick=a&text=b', { 'content-type': 'application/x-www-form-urlencoded' }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'no content type',
    path: msgPath,
    options: post('{"nick":"a","text":"b"}', {}),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'body over 64 KiB',
    path: msgPath,
    options: send({ nick: 'ann', text: bigText }),
    status: 413,
    code: 'too_large',
  },
  {
    name: 'body of exactly 64 KiB is read (then the text is too long)',
    path: msgPath,
    options: post(`{"nick":"ann","text":"${'x'.repeat(65536 - 24)}"}`),
    status: 400,
    code: 'invalid_text',
  },
  // Idempotency
  {
    name: 'reused cid with another text',
    path: msgPath,
    setup: async () => {
      const res = await postMessage(srv.url, room, { ...conflictKey, text: 'original' });
      expect(res.status).toBe(201);
    },
    options: send({ ...conflictKey, text: 'different' }),
    status: 409,
    code: 'conflict',
  },
  // Room
  {
    name: 'upper-case room',
    path: '/rooms/Lobby/messages',
    options: send({ nick: 'a', text: 'b' }),
    status: 400,
    code: 'invalid_room',
  },
  {
    name: 'room with a dot',
    path: '/rooms/a.b/messages',
    options: send({ nick: 'a', text: 'b' }),
    status: 400,
    code: 'invalid_room',
  },
  {
    name: 'room starting with -',
    path: '/rooms/-x/messages',
    options: send({ nick: 'a', text: 'b' }),
    status: 400,
    code: 'invalid_room',
  },
  {
    name: 'room of 65 chars',
    path: `/rooms/${'a'.repeat(65)}/messages`,
    options: send({ nick: 'a', text: 'b' }),
    status: 400,
    code: 'invalid_room',
  },
  { name: 'bad room on a poll', path: '/rooms/BAD/messages?after=0&timeout=1', status: 400, code: 'invalid_room' },
  { name: 'bad room on presence', path: '/rooms/BAD/presence', status: 400, code: 'invalid_room' },
  // Nick
  {
    name: 'nick with a control char',
    path: msgPath,
    options: send({ nick: 'an\u0007n', text: 'hi' }),
    status: 400,
    code: 'invalid_nick',
  },
  {
    name: 'nick with a format char',
    path: msgPath,
    options: send({ nick: 'an\u200bn', text: 'hi' }),
    status: 400,
    code: 'invalid_nick',
  },
  {
    name: 'nick of 33 code points',
    path: msgPath,
    options: send({ nick: 'n'.repeat(33), text: 'hi' }),
    status: 400,
    code: 'invalid_nick',
  },
  { name: 'empty nick', path: msgPath, options: send({ nick: '', text: 'hi' }), status: 400, code: 'invalid_nick' },
  { name: 'missing nick', path: msgPath, options: send({ text: 'hi' }), status: 400, code: 'invalid_nick' },
  {
    name: 'nick of the wrong type',
    path: msgPath,
    options: send({ nick: 7, text: 'hi' }),
    status: 400,
    code: 'invalid_nick',
  },
  {
    name: 'bad nick on a poll',
    path: `/rooms/${room}/messages?after=0&timeout=1&nick=%07`,
    status: 400,
    code: 'invalid_nick',
  },
  // Text
  {
    name: 'text with BEL',
    path: msgPath,
    options: send({ nick: 'ann', text: 'ding \u0007' }),
    status: 400,
    code: 'invalid_text',
  },
  {
    name: 'text with a bare \\r',
    path: msgPath,
    options: send({ nick: 'ann', text: 'a\rb' }),
    status: 400,
    code: 'invalid_text',
  },
  {
    name: 'text with ESC',
    path: msgPath,
    options: send({ nick: 'ann', text: '\u001b[2J' }),
    status: 400,
    code: 'invalid_text',
  },
  {
    name: 'text with a C1 control',
    path: msgPath,
    options: send({ nick: 'ann', text: 'a\u0085b' }),
    status: 400,
    code: 'invalid_text',
  },
  { name: 'empty text', path: msgPath, options: send({ nick: 'ann', text: '' }), status: 400, code: 'invalid_text' },
  { name: 'missing text', path: msgPath, options: send({ nick: 'ann' }), status: 400, code: 'invalid_text' },
  {
    name: 'text of 4001 code points',
    path: msgPath,
    options: send({ nick: 'ann', text: 'a'.repeat(4001) }),
    status: 400,
    code: 'invalid_text',
  },
  {
    name: 'text of 4001 astral code points',
    path: msgPath,
    options: send({ nick: 'ann', text: '😀'.repeat(4001) }),
    status: 400,
    code: 'invalid_text',
  },
  {
    name: 'text with a lone surrogate escape',
    path: msgPath,
    options: post('{"nick":"ann","text":"a\\ud800b"}'),
    status: 400,
    code: 'invalid_text',
  },
  {
    name: 'text with a lone low surrogate escape',
    path: msgPath,
    options: post('{"nick":"ann","text":"\\udc00"}'),
    status: 400,
    code: 'invalid_text',
  },
  {
    name: 'text with invalid UTF-8 bytes',
    path: msgPath,
    options: post(
      Buffer.concat([Buffer.from('{"nick":"ann","text":"a'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('b"}')]),
    ),
    status: 400,
    code: 'invalid_text',
  },
  {
    name: 'text of the wrong type',
    path: msgPath,
    options: send({ nick: 'ann', text: 5 }),
    status: 400,
    code: 'invalid_text',
  },
  // Session, cid and query fields
  {
    name: 'session too short',
    path: msgPath,
    options: send({ nick: 'ann', text: 'hi', session: 'short' }),
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'session with bad chars',
    path: msgPath,
    options: send({ nick: 'ann', text: 'hi', session: 'has spaces in it, so bad' }),
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'session of the wrong type',
    path: msgPath,
    options: send({ nick: 'ann', text: 'hi', session: 12345678 }),
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'cid with bad chars',
    path: msgPath,
    options: send({ nick: 'ann', text: 'hi', cid: 'a b' }),
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'cid of 65 chars',
    path: msgPath,
    options: send({ nick: 'ann', text: 'hi', cid: 'c'.repeat(65) }),
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'cid of the wrong type',
    path: msgPath,
    options: send({ nick: 'ann', text: 'hi', cid: 5 }),
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'poll with a bad session',
    path: `/rooms/${room}/messages?after=0&timeout=1&session=short`,
    status: 400,
    code: 'bad_request',
  },
  { name: 'poll with after=-1', path: `/rooms/${room}/messages?after=-1&timeout=1`, status: 400, code: 'bad_request' },
  {
    name: 'poll with after=abc',
    path: `/rooms/${room}/messages?after=abc&timeout=1`,
    status: 400,
    code: 'bad_request',
  },
  { name: 'SSE with a bad session', path: `/rooms/${room}/events?session=x`, status: 400, code: 'bad_request' },
  // Routes and methods
  { name: 'unknown route', path: '/nope', status: 404, code: 'not_found' },
  { name: 'GET /ws without an upgrade (extension)', path: '/ws', status: 400, code: 'bad_request' },
  { name: 'unknown room sub-route', path: `/rooms/${room}/nope`, status: 404, code: 'not_found' },
  { name: 'DELETE on messages', path: msgPath, options: { method: 'DELETE' }, status: 405, code: 'method_not_allowed' },
  {
    name: 'PUT on messages',
    path: msgPath,
    options: { method: 'PUT', headers: JSON_CT, body: '{}' },
    status: 405,
    code: 'method_not_allowed',
  },
  {
    name: 'POST on events',
    path: `/rooms/${room}/events`,
    options: send({ nick: 'a', text: 'b' }),
    status: 405,
    code: 'method_not_allowed',
  },
  { name: 'POST on /rooms', path: '/rooms', options: send({}), status: 405, code: 'method_not_allowed' },
  {
    name: 'DELETE on presence',
    path: `/rooms/${room}/presence`,
    options: { method: 'DELETE' },
    status: 405,
    code: 'method_not_allowed',
  },
];

describe('bad HTTP input', () => {
  it.each(rows)('$name → $status $code', async ({ path, options, setup, status, code }) => {
    if (setup) await setup();
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
