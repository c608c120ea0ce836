/**
 * A small seeded PRNG (mulberry32), so that every random choice a fault test
 * makes can be replayed from the seed it prints.
 */

/** The seed from `RTCHAT_FAULT_SEED`, else a fresh random one. */
export function faultSeed(): number {
  const env = process.env.RTCHAT_FAULT_SEED;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (Number.isInteger(n) && n >= 0 && n <= 0xffffffff) return n;
    throw new Error(`RTCHAT_FAULT_SEED must be an integer from 0 to 4294967295, got ${env}`);
  }
  return Math.floor(Math.random() * 0x100000000);
}

/** True when the full-size configuration of the issue was asked for. */
export function fullSize(): boolean {
  return process.env.RTCHAT_FAULTS_FULL === '1';
}

/** A positive integer from an env var, else `fallback`. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A child generator whose sequence depends only on this seed and `salt`. */
  fork(salt: number): Prng {
    return new Prng((Math.imul(this.seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(salt + 1, 0xc2b2ae35)) >>> 0);
  }

  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(this.next() * 256);
    return b;
  }
}
