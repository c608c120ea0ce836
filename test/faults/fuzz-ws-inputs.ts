/**
 * Raw hostile WebSocket frames, sent after a real upgrade handshake: binary,
 * fragments, invalid UTF-8, huge declared lengths, bad opcodes, unmasked,
 * RSV bits. Everything comes from a seeded Prng.
 */
import { wsJson } from './json-shapes.js';
import type { Prng } from './prng.js';

export interface WsInput {
  kind: 'ws';
  label: string;
  /** Frames written, in order, after the 101. */
  frames: Buffer[];
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
