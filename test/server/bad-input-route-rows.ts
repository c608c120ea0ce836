/** More rows for bad-input.test.ts: session, cid and query fields, routes and methods. */
import { JSON_CT, msgPath, room, send, type Row } from './bad-input-rows.js';

export const routeRows: Row[] = [
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
