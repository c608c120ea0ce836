/**
 * Salted scrypt hashes of account tokens (node:crypto). Only the hash is
 * stored; a token is checked by hashing it again with the stored salt and
 * parameters and comparing in constant time.
 *
 * Encoded as `scrypt$N$r$p$<salt b64url>$<hash b64url>` so the parameters can
 * change later without breaking stored accounts. N=16384, r=8, p=1 are
 * Node's defaults (the OWASP minimum for scrypt is N=2^17 with r=8 for
 * passwords; a token is 256 random bits, so the hash guards a stolen
 * database, not a guessable secret, and the cheaper cost keeps logins fast).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Async: the work runs on libuv's pool, never blocking the event loop.
    scrypt(secret, salt, KEY_BYTES, { ...options, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** A new salt and the encoded hash of `secret`. */
export async function hashToken(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(secret, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `secret` hashes to `encoded`; false for a malformed `encoded`. */
export async function verifyToken(secret: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((v) => Number.isSafeInteger(v) && v > 0)) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (expected.length !== KEY_BYTES) return false;
  const key = await derive(secret, salt, { N, r, p });
  return timingSafeEqual(key, expected);
}
