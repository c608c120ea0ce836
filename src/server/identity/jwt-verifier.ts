/**
 * Tokens issued by another system: JWTs checked with `jose`, either HS256
 * with a shared secret (`--jwt-secret`) or RS256/ES256 with a public key
 * (`--jwt-public-key`, PEM; the algorithm follows the key's type). `sub` is
 * the account name; an optional `rooms` claim (array of room names) limits
 * where the token may go; `exp`, when present, is honoured (no leeway).
 */
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { errors, jwtVerify } from 'jose';
import { ProtocolError, ROOM_RE } from '../../protocol/index.js';
import { ACCOUNT_RE } from './account-name.js';
import type { Principal } from './principal.js';

export interface JwtOptions {
  /** HS256 shared secret (at least 32 bytes, as RFC 7518 section 3.2 asks). */
  secret?: string | undefined;
  /** PEM public key (SPKI): RSA gives RS256, EC P-256 gives ES256. */
  publicKey?: string | undefined;
}

export class JwtVerifier {
  private readonly key: KeyObject;
  private readonly alg: 'HS256' | 'RS256' | 'ES256';

  /** Throws a plain Error with a one-line reason for a bad secret or key. */
  constructor(options: JwtOptions) {
    if (options.secret !== undefined) {
      if (Buffer.byteLength(options.secret) < 32) throw new Error('the JWT secret must be at least 32 bytes (HS256)');
      this.key = createSecretKey(Buffer.from(options.secret, 'utf8'));
      this.alg = 'HS256';
      return;
    }
    if (options.publicKey === undefined) throw new Error('a JWT secret or public key is needed');
    let key: KeyObject;
    try {
      key = createPublicKey(options.publicKey);
    } catch (err) {
      throw new Error(`not a PEM public key (${err instanceof Error ? err.message : String(err)})`);
    }
    const type = key.asymmetricKeyType;
    if (type === 'rsa') this.alg = 'RS256';
    else if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') this.alg = 'ES256';
    else throw new Error(`an RSA or EC P-256 public key is needed, not ${type ?? 'unknown'}`);
    this.key = key;
  }

  get algorithm(): string {
    return this.alg;
  }

  /** A compact JWS: three base64url parts, the first a JSON header. */
  static looksLikeJwt(token: string): boolean {
    return token.startsWith('eyJ') && token.split('.').length === 3;
  }

  /** The account the token speaks for; `token_expired` past `exp`, `unauthorized` for anything else wrong. */
  async verify(token: string): Promise<Principal> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: [this.alg] }));
    } catch (err) {
      if (err instanceof errors.JWTExpired)
        throw new ProtocolError('token_expired', 'the token expired; get a fresh one');
      throw new ProtocolError('unauthorized', 'a valid token is required');
    }
    const sub = payload.sub;
    if (typeof sub !== 'string' || !ACCOUNT_RE.test(sub))
      throw new ProtocolError('unauthorized', 'the token has no valid sub');
    const rooms = payload.rooms;
    if (
      rooms !== undefined &&
      (!Array.isArray(rooms) || !rooms.every((r) => typeof r === 'string' && ROOM_RE.test(r)))
    ) {
      throw new ProtocolError('unauthorized', 'the token has an invalid rooms claim');
    }
    return {
      kind: 'account',
      name: sub,
      ...(rooms !== undefined && { rooms: rooms as string[] }),
      ...(typeof payload.exp === 'number' && { expiresAt: payload.exp * 1000 }),
    };
  }
}
