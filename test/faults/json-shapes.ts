/**
 * Hostile JSON texts: deep nesting, wrong types, huge numbers, `__proto__`
 * and `constructor` keys, lone surrogates, truncation. Each is a string, so
 * that texts JSON.stringify would never produce (duplicate keys, bare NaN,
 * truncated documents) are possible.
 */
import type { Prng } from './prng.js';

const WEIRD_VALUES = [
  'null',
  'true',
  '0',
  '-0',
  '1e308',
  '1e309',
  '-1e309',
  '123456789012345678901234567890',
  '9007199254740993',
  '0.5',
  '-1',
  'NaN',
  'Infinity',
  '""',
  '[]',
  '{}',
  '"\\u0000"',
  '"\\ud800"',
  '"\\udfff\\ud800"',
  '"\\u001b[31mred"',
  '"a\\rb"',
  '"\u202e\u200b"',
  '"lobby"',
  '"LOBBY"',
  '"../../etc/passwd"',
  '{"__proto__":{"polluted":true}}',
  '[1,2,3]',
];

const KEYS = [
  'type',
  'room',
  'nick',
  'text',
  'cid',
  'session',
  'after',
  'epoch',
  't',
  'token',
  '__proto__',
  'constructor',
  'prototype',
];
const TYPES = ['"join"', '"leave"', '"send"', '"ping"', '"hello"', '"ack"', '"JOIN"', '""', '1', 'null', '"__proto__"'];

function deep(rng: Prng): string {
  const depth = rng.pick([100, 1000, 10_000, 50_000]);
  return rng.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

function longString(rng: Prng): string {
  const n = rng.pick([4001, 5000, 20_000, 70_000]);
  return JSON.stringify(rng.chance(0.5) ? 'x'.repeat(n) : '\u{1F600}'.repeat(Math.ceil(n / 2)));
}

function value(rng: Prng): string {
  const r = rng.next();
  if (r < 0.7) return rng.pick(WEIRD_VALUES);
  if (r < 0.8) return longString(rng);
  if (r < 0.85) return deep(rng);
  return JSON.stringify(`v${rng.int(0, 1e6)}`);
}

/** A frame or body shaped like a real one, with one or more fields made hostile. */
function mutatedObject(rng: Prng, base: Record<string, string>): string {
  const fields = new Map(Object.entries(base));
  const n = rng.int(1, 3);
  for (let i = 0; i < n; i++) {
    const key = rng.pick(KEYS);
    if (rng.chance(0.2)) fields.delete(key);
    else fields.set(key, key === 'type' ? rng.pick(TYPES) : value(rng));
  }
  const parts = [...fields].map(([k, v]) => `${JSON.stringify(k)}:${v}`);
  // Duplicate keys: JSON.parse keeps the last one; validators must not care.
  if (rng.chance(0.1)) parts.push(`"nick":${value(rng)}`);
  return '{' + parts.join(',') + '}';
}

/** One hostile JSON text for a WebSocket frame (a client frame gone wrong). */
export function wsJson(rng: Prng, room: string): string {
  const r = rng.next();
  if (r < 0.08) return deep(rng);
  if (r < 0.12) return value(rng);
  if (r < 0.16) {
    const good = `{"type":"send","room":"${room}","cid":"c${rng.int(0, 1e9)}","text":"hi"}`;
    return good.slice(0, rng.int(0, good.length - 1));
  }
  if (r < 0.2)
    return `{"__proto__":{"type":"send"},"type":"send","room":"${room}","cid":"p${rng.int(0, 1e9)}","text":"proto"}`;
  const base = rng.pick<Record<string, string>>([
    { type: '"join"', room: `"${room}"`, after: '0' },
    { type: '"send"', room: `"${room}"`, cid: `"f${rng.int(0, 1e9)}"`, text: '"fuzz"' },
    { type: '"leave"', room: `"${room}"` },
    { type: '"ping"', t: '1' },
  ]);
  return mutatedObject(rng, base);
}

/** One hostile JSON body for POST /rooms/{room}/messages. */
export function postJson(rng: Prng): string {
  const r = rng.next();
  if (r < 0.08) return deep(rng);
  if (r < 0.12) return value(rng);
  if (r < 0.16) return '{"nick":"ann","text":"hi"'.slice(0, rng.int(0, 24));
  if (r < 0.2)
    return '{"__proto__":{"nick":"x","text":"y"},"constructor":{"prototype":{"polluted":1}},"nick":"p","text":"proto"}';
  // The bodies of POST /dms and POST /rooms/{room}/read (docs/protocol.md 8.4), mutated the same way.
  if (r < 0.24) return mutatedObject(rng, { to: '"bob"' });
  if (r < 0.28) return mutatedObject(rng, { seq: String(rng.int(-5, 1e6)), epoch: '"0123456789abcdef"' });
  return mutatedObject(rng, { nick: '"fuzzer"', text: '"hello"', cid: `"h${rng.int(0, 1e9)}"` });
}
