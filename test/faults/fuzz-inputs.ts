/**
 * Raw hostile inputs, as bytes, for a socket: HTTP requests (random and
 * mutated methods, paths, query strings, headers, bodies; truncated,
 * slow-drip, thousands of headers) and WebSocket frames sent after a real
 * upgrade handshake (binary, fragments, invalid UTF-8, huge declared lengths,
 * bad opcodes, unmasked, RSV bits). Everything comes from a seeded Prng.
 */
import { postJson, wsJson } from './json-shapes.js';
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

export interface WsInput {
  kind: 'ws';
  label: string;
  /** Frames written, in order, after the 101. */
  frames: Buffer[];
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

function path(rng: Prng, room: string): string {
  const rooms = [room, 'Lobby', '-x', 'a'.repeat(65), '%00', '%zz', '..%2f..%2fetc', '%c0%af', 'ü', '', 'x y'];
  const r = rng.pick(rooms);
  const base = rng.pick([
    `/rooms/${r}/messages`,
    `/rooms/${r}/events`,
    `/rooms/${r}/presence`,
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
  const keys = ['after', 'epoch', 'session', 'nick', 'timeout', 'pv', 'limit', 't', 'token', '__proto__', 'after'];
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

// WebSocket frames (RFC 6455 section 5.2), built by hand so that wrong ones are possible.

export interface FrameSpec {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  payload: Buffer;
  /** Client frames must be masked; false makes a protocol error. Default true. */
  masked?: boolean;
  /** Declared length when it should lie (e.g. 2^62 with a few bytes). */
  declaredLength?: bigint;
}

export function frame(spec: FrameSpec): Buffer {
  const masked = spec.masked ?? true;
  const len = spec.declaredLength ?? BigInt(spec.payload.length);
  const b0 = ((spec.fin ?? true) ? 0x80 : 0) | (((spec.rsv ?? 0) & 7) << 4) | (spec.opcode & 0x0f);
  let head: Buffer;
  if (len < 126n) head = Buffer.from([b0, (masked ? 0x80 : 0) | Number(len)]);
  else if (len < 65536n) {
    head = Buffer.alloc(4);
    head[0] = b0;
    head[1] = (masked ? 0x80 : 0) | 126;
    head.writeUInt16BE(Number(len), 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = b0;
    head[1] = (masked ? 0x80 : 0) | 127;
    head.writeBigUInt64BE(len, 2);
  }
  if (!masked) return Buffer.concat([head, spec.payload]);
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const p = Buffer.from(spec.payload);
  for (let i = 0; i < p.length; i++) p[i]! ^= key[i & 3]!;
  return Buffer.concat([head, key, p]);
}

const text = (s: string): Buffer => Buffer.from(s, 'utf8');

/** A short series of frames for one upgraded socket. */
export function wsInput(rng: Prng, room: string): WsInput {
  const frames: Buffer[] = [];
  const labels: string[] = [];
  const n = rng.int(1, 6);
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.45) {
      labels.push('json');
      frames.push(frame({ opcode: 1, payload: text(wsJson(rng, room)) }));
    } else if (r < 0.52) {
      labels.push('binary');
      frames.push(frame({ opcode: 2, payload: rng.bytes(rng.int(0, 200)) }));
    } else if (r < 0.6) {
      labels.push('fragments');
      const msg = text(wsJson(rng, room));
      const cut = rng.int(0, msg.length);
      frames.push(frame({ fin: false, opcode: 1, payload: msg.subarray(0, cut) }));
      if (rng.chance(0.3)) frames.push(frame({ opcode: 9, payload: text('mid') }));
      // A new message inside a fragmented one.
      if (rng.chance(0.2)) frames.push(frame({ opcode: 1, payload: text('{}') }));
      frames.push(frame({ opcode: 0, payload: msg.subarray(cut) }));
    } else if (r < 0.64) {
      labels.push('orphan-continuation');
      frames.push(frame({ opcode: 0, payload: text('{"type":"ping","t":1}') }));
    } else if (r < 0.7) {
      labels.push('invalid-utf8');
      frames.push(
        frame({ opcode: 1, payload: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xff, 0x22, 0x7d]) }),
      );
    } else if (r < 0.75) {
      labels.push('huge-declared');
      frames.push(
        frame({
          opcode: 1,
          payload: text('{"type":'),
          declaredLength: rng.pick([2n ** 62n, 2n ** 63n - 1n, 70_000n, 2n ** 32n]),
        }),
      );
    } else if (r < 0.78) {
      labels.push('too-big');
      frames.push(frame({ opcode: 1, payload: Buffer.alloc(70_000, 0x61) }));
    } else if (r < 0.84) {
      labels.push('bad-opcode');
      frames.push(frame({ opcode: rng.pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), payload: rng.bytes(rng.int(0, 20)) }));
    } else if (r < 0.87) {
      labels.push('rsv');
      frames.push(frame({ rsv: rng.int(1, 7), opcode: 1, payload: text('{"type":"ping","t":1}') }));
    } else if (r < 0.9) {
      labels.push('unmasked');
      frames.push(frame({ masked: false, opcode: 1, payload: text('{"type":"ping","t":1}') }));
    } else if (r < 0.93) {
      labels.push('bad-control');
      frames.push(
        rng.chance(0.5)
          ? frame({ opcode: 9, payload: Buffer.alloc(200) })
          : frame({ fin: false, opcode: 9, payload: text('x') }),
      );
    } else if (r < 0.96) {
      labels.push('bad-close');
      const p = Buffer.alloc(2 + 4);
      p.writeUInt16BE(rng.pick([0, 999, 1004, 1005, 1006, 2999, 5000, 65535]), 0);
      Buffer.from([0xff, 0xfe, 0xc3, 0x28]).copy(p, 2);
      frames.push(frame({ opcode: 8, payload: p }));
    } else {
      labels.push('garbage');
      frames.push(rng.bytes(rng.int(1, 64)));
    }
  }
  return { kind: 'ws', label: labels.join(','), frames };
}
