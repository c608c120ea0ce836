/**
 * The bad HTTP inputs of bad-input.test.ts, as a table: each row, sent to a
 * fresh server, must get its status and code as a JSON error.
 */
import { expect } from 'vitest';
import { newCid, newSession, postMessage, type HttpOptions } from '../helpers/index.js';

export const JSON_CT = { 'content-type': 'application/json' };
/** The room every row posts to; the conflict row leaves one message there. */
export const room = 'badinput';
export const msgPath = `/rooms/${room}/messages`;

export function post(body: string | Buffer, headers: Record<string, string> = JSON_CT): HttpOptions {
  return { method: 'POST', headers, body };
}
export function send(fields: Record<string, unknown>): HttpOptions {
  return post(JSON.stringify(fields));
}

export interface Row {
  name: string;
  path: string;
  options?: HttpOptions;
  /** Runs first (e.g. to store the message a conflict needs). */
  setup?: (base: string) => Promise<void>;
  status: number;
  code: string;
}

const conflictKey = { nick: 'ann', session: newSession(), cid: newCid() };
const bigText = 'x'.repeat(70_000);

/** Bodies and their fields: shape and size, idempotency, room, nick, text. */
export const bodyRows: Row[] = [
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
    setup: async (base) => {
      const res = await postMessage(base, room, { ...conflictKey, text: 'original' });
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
];
