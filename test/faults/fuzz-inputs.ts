/**
 * Raw hostile HTTP requests, as bytes, for a socket: random and mutated
 * methods, paths, query strings, headers, bodies; truncated, slow-drip,
 * thousands of headers. The WebSocket frames are in fuzz-ws-inputs.ts.
 * Everything comes from a seeded Prng.
 */
import { postJson } from './json-shapes.js';
import type { Prng } from './prng.js';

export interface HttpInput {
  kind: 'http';
  label: string;
  bytes: Buffer;
  /** Write one byte at a time with this many ms between (slow drip). */
  dripMs?: number;
  /** Close after writing this many bytes (a truncated request). */
  truncateAt?: number;
}

const METHODS = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'HEAD',
  'TRACE',
  'CONNECT',
  'get',
  'FOO',
  'G ET',
  'POST'.repeat(50),
];

/** A hostile room cursor list (docs/protocol.md 8.4): bad items, epochs, separators, repeats, sizes. */
function roomList(rng: Prng, room: string): string {
  const items = [room, `${room}:0`, `${room}:5:abc`, `${room}:-1`, `${room}:1:2:3`, ':', ',', '', `${room}:1e309`];
  const n = rng.int(0, rng.chance(0.1) ? 300 : 5);
  return Array.from({ length: n }, () => rng.pick(items)).join(rng.pick([',', ',', ';', '%2C']));
}

function path(rng: Prng, room: string): string {
  const rooms = [room, 'Lobby', '-x', 'a'.repeat(65), '%00', '%zz', '..%2f..%2fetc', '%c0%af', 'ü', '', 'x y'];
  const r = rng.pick(rooms);
  const base = rng.pick([
    `/rooms/${r}/messages`,
    `/rooms/${r}/events`,
    `/rooms/${r}/presence`,
    `/rooms/${r}/read`,
    `/rooms/${r}/search`,
    `/events?rooms=${roomList(rng, r)}`,
    `/messages?rooms=${roomList(rng, r)}`,
    '/dms',
    '/unread',
    '/rooms',
    '/ws',
    '/ping',
    '/healthz',
    '/metrics',
    '/',
    '//rooms//' + r,
    '/rooms/' + r + '/messages/extra',
    '/' + 'a/'.repeat(rng.int(1, 2000)),
    '*',
    'http://evil.example/rooms',
  ]);
  return base + query(rng);
}

function query(rng: Prng): string {
  if (rng.chance(0.3)) return '';
  const keys = [
    ...['after', 'epoch', 'session', 'nick', 'timeout', 'pv', 'limit', 't', 'token', '__proto__', 'after'],
    ...['q', 'before', 'rooms'],
  ];
  const values = [
    '0',
    '-1',
    '1e309',
    'NaN',
    '9999999999999999999999',
    '0x10',
    '1.5',
    '',
    '%00',
    '%ff%fe',
    'a'.repeat(5000),
    'ann%0a',
    'x'.repeat(20),
    '0',
    '55',
    '56',
  ];
  const n = rng.int(1, 6);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`${rng.pick(keys)}=${rng.pick(values)}`);
  // Long polls answer at once more often with timeout=0; held ones are left behind on purpose too.
  if (rng.chance(0.5)) parts.push('timeout=0');
  return '?' + parts.join('&');
}

function headers(rng: Prng, bodyLength: number): string[] {
  const h: string[] = ['Host: 127.0.0.1'];
  const pool = [
    'Content-Type: application/json',
    'Content-Type: text/plain',
    'Content-Type: application/json; charset=latin1',
    'Accept: text/event-stream',
    'Last-Event-ID: ' + rng.pick(['5', '-1', 'abc', '1e309', '99999999999999999999', '']),
    'Authorization: Bearer ' + 'x'.repeat(rng.int(0, 300)),
    'Transfer-Encoding: chunked',
    'Transfer-Encoding: gzip, chunked',
    'Connection: upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: ' + rng.pick(['dGhlIHNhbXBsZSBub25jZQ==', 'short', '']),
    'Expect: 100-continue',
    'X-Forwarded-For: 1.2.3.4',
    'Cookie: ' + 'a=b; '.repeat(rng.int(1, 500)),
    'Bad Header Name: x',
    'X-Null: a\u0000b',
    'X-Bin: \u00ff\u00fe',
    ': empty-name',
    'Content-Length: ' + rng.pick([String(bodyLength + 10), '-1', 'abc', '99999999999999', String(bodyLength)]),
  ];
  const n = rng.int(0, 5);
  for (let i = 0; i < n; i++) h.push(rng.pick(pool));
  if (rng.chance(0.8) && !h.some((x) => x.startsWith('Content-Length'))) h.push(`Content-Length: ${bodyLength}`);
  if (rng.chance(0.03)) {
    // Thousands of headers: Node's limit (2,000 by count, 16 KiB by size) must answer, not fall over.
    const many = rng.int(1000, 5000);
    for (let i = 0; i < many; i++) h.push(`X-Many-${i}: ${i}`);
  }
  return h;
}

function body(rng: Prng): Buffer {
  const r = rng.next();
  if (r < 0.6) return Buffer.from(postJson(rng), 'utf8');
  if (r < 0.7) return rng.bytes(rng.int(1, 2000));
  if (r < 0.75) return Buffer.alloc(rng.pick([65 * 1024, 200 * 1024]), 'a');
  if (r < 0.85)
    return Buffer.concat([
      Buffer.from('{"nick":"ann","text":"'),
      Buffer.from([0xc3, 0x28, 0xff, 0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]);
  return Buffer.alloc(0);
}

/** One random or mutated HTTP request: half well framed (to reach the router and validation), half wild. */
export function httpInput(rng: Prng, room: string): HttpInput {
  return rng.chance(0.5) ? wellFramed(rng, room) : wild(rng, room);
}

/** Valid HTTP/1.1 framing around a hostile path, query, headers or JSON body. */
function wellFramed(rng: Prng, room: string): HttpInput {
  const method = rng.pick(['GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD']);
  const b = method === 'POST' ? Buffer.from(postJson(rng), 'utf8') : Buffer.alloc(0);
  const p =
    method === 'POST' && rng.chance(0.7)
      ? `/rooms/${rng.chance(0.8) ? room : rng.pick(['Bad', '%00', 'a'.repeat(65)])}/messages`
      : path(rng, room);
  const head = [`${method} ${p} HTTP/1.1`, 'Host: 127.0.0.1', `Content-Length: ${b.length}`];
  if (method === 'POST')
    head.push(
      rng.chance(0.85)
        ? 'Content-Type: application/json'
        : rng.pick(['Content-Type: text/plain', 'Content-Type: application/jsonx', 'Content-Type: ']),
    );
  if (rng.chance(0.2)) head.push('Accept: text/event-stream');
  if (rng.chance(0.1)) head.push('Last-Event-ID: ' + rng.pick(['5', '-1', 'abc', '1e309', '99999999999999999999', '']));
  if (rng.chance(0.05)) head.push('Authorization: Bearer ' + 'x'.repeat(rng.int(0, 300)));
  const bytes = Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'), b]);
  return { kind: 'http', label: `${method} ${p.slice(0, 60)}`, bytes };
}

function wild(rng: Prng, room: string): HttpInput {
  const method = rng.pick(METHODS);
  const b = method === 'GET' && rng.chance(0.7) ? Buffer.alloc(0) : body(rng);
  const head = [
    `${method} ${path(rng, room)} ${rng.pick(['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9', 'XYZ'])}`,
    ...headers(rng, b.length),
  ];
  const sep = rng.chance(0.05) ? '\n' : '\r\n';
  let bytes: Buffer = Buffer.concat([Buffer.from(head.join(sep) + sep + sep, 'latin1'), b]);
  if (rng.chance(0.05)) bytes = mutateBytes(rng, bytes);
  const input: HttpInput = { kind: 'http', label: `${method} ${head[0]!.slice(0, 60)}`, bytes };
  if (rng.chance(0.08)) input.truncateAt = rng.int(1, Math.max(1, bytes.length - 1));
  if (rng.chance(0.01) && bytes.length < 400) input.dripMs = rng.int(1, 3);
  return input;
}

/** Flips, drops or duplicates a few bytes: the classic mutation fuzzer. */
export function mutateBytes(rng: Prng, src: Buffer): Buffer {
  const b = Buffer.from(src);
  const n = rng.int(1, 8);
  for (let i = 0; i < n; i++) b[rng.int(0, b.length - 1)] = rng.int(0, 255);
  return b;
}
