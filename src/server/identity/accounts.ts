/**
 * Accounts: names with a token each. A token is `rtc1.<name>.<secret>` with
 * 256 random bits of secret; only its salted scrypt hash is stored (in the
 * store's IdentityStore), and the token itself is shown once, by whoever
 * created or rotated it.
 *
 * Verifying costs one store lookup per request, so a removed account or a
 * rotated token is refused at once. The scrypt step is skipped when the same
 * token was verified before against the same stored hash (a bounded cache of
 * SHA-256 digests of tokens, never the tokens themselves).
 */
import { createHash, randomBytes } from 'node:crypto';
import { ProtocolError } from '../../protocol/index.js';
import type { AccountRecord, IdentityStore } from '../stores/identity-store.js';
import { ACCOUNT_RE, validateAccountName } from './account-name.js';
import { hashToken, verifyToken } from './token-hash.js';

const PREFIX = 'rtc1';
/** Verified (digest → stored hash) pairs kept to skip scrypt; older ones are dropped first. */
const CACHE_MAX = 10_000;

/** The account a token names, or undefined when it is not an account token. */
export function parseAccountToken(token: string): { name: string; secret: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return undefined;
  const [, name, secret] = parts as [string, string, string];
  if (!ACCOUNT_RE.test(name) || secret.length < 32) return undefined;
  return { name, secret };
}

export class Accounts {
  private readonly store: IdentityStore;
  private readonly verified = new Map<string, string>();
  private lastHasAny: boolean | undefined;

  constructor(store: IdentityStore) {
    this.store = store;
  }

  /** Creates the account and returns its token. `conflict` when it exists. */
  async add(name: string): Promise<string> {
    validateAccountName(name);
    if ((await this.store.getAccount(name)) !== undefined) {
      throw new ProtocolError('conflict', `account ${name} exists (rtchat user token ${name} gives it a new token)`);
    }
    const now = Date.now();
    const { token, hash } = await newToken(name);
    await this.store.putAccount({ name, hash, created: now, rotated: now });
    return token;
  }

  /** Replaces the account's token; the old one stops working at once. `not_found` when there is no account. */
  async rotate(name: string): Promise<string> {
    const current = await this.existing(name);
    const { token, hash } = await newToken(name);
    await this.store.putAccount({ ...current, hash, rotated: Date.now() });
    return token;
  }

  /** Removes the account; its token stops working at once. `not_found` when there is none. */
  async remove(name: string): Promise<void> {
    validateAccountName(name);
    if (!(await this.store.removeAccount(name))) throw new ProtocolError('not_found', `no account ${name}`);
  }

  list(): Promise<AccountRecord[]> {
    return this.store.listAccounts();
  }

  /**
   * Whether any account exists (accounts are on). While the store cannot
   * answer (Redis away) the last answer holds, so reads go on as the store's do.
   */
  async hasAny(): Promise<boolean> {
    try {
      this.lastHasAny = await this.store.hasAccounts();
    } catch (err) {
      if (this.lastHasAny === undefined) throw err;
    }
    return this.lastHasAny;
  }

  exists(name: string): Promise<boolean> {
    return this.store.getAccount(name).then((r) => r !== undefined);
  }

  /** The account name a token proves, or undefined (unknown account, wrong or rotated token). */
  async verify(token: string): Promise<string | undefined> {
    const parsed = parseAccountToken(token);
    if (parsed === undefined) return undefined;
    const record = await this.store.getAccount(parsed.name);
    if (record === undefined) return undefined;
    const digest = createHash('sha256').update(token).digest('base64url');
    if (this.verified.get(digest) === record.hash) return record.name;
    if (!(await verifyToken(parsed.secret, record.hash))) return undefined;
    this.verified.delete(digest);
    this.verified.set(digest, record.hash);
    if (this.verified.size > CACHE_MAX) this.verified.delete(this.verified.keys().next().value as string);
    return record.name;
  }

  private async existing(name: string): Promise<AccountRecord> {
    validateAccountName(name);
    const record = await this.store.getAccount(name);
    if (record === undefined) throw new ProtocolError('not_found', `no account ${name}`);
    return record;
  }
}

async function newToken(name: string): Promise<{ token: string; hash: string }> {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${PREFIX}.${name}.${secret}`, hash: await hashToken(secret) };
}
