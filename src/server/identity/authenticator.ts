/**
 * Turns a request's credential into a Principal (see principal.ts), or
 * refuses it with `401 unauthorized` (`token_expired` for an expired JWT or
 * ticket). The credential is `Authorization: Bearer …`, else `?token=`, else
 * `?ticket=` (a single-use ticket from `POST /auth/ticket`).
 *
 * Accounts are on when the store holds any account or a JWT key is set.
 * Then a request needs an account token or a JWT; without one it is a guest
 * with `--guests` (still needing the shared `--token` if that is set), else
 * refused. With accounts off everything works as before accounts existed.
 */
import type { IncomingMessage } from 'node:http';
import { ProtocolError } from '../../protocol/index.js';
import type { TokenAuth } from '../http/auth.js';
import type { Accounts } from './accounts.js';
import { parseAccountToken } from './accounts.js';
import { JwtVerifier } from './jwt-verifier.js';
import { GUEST, OPEN, type Principal } from './principal.js';
import type { TicketBook } from './tickets.js';

export interface AuthenticatorOptions {
  /** The shared `--token` check (a no-op without one). */
  shared: TokenAuth;
  accounts: Accounts;
  tickets: TicketBook;
  jwt?: JwtVerifier | undefined;
  /** Admit people without an account (as `~nick`) while accounts are on. Default false. */
  guests?: boolean;
}

const unauthorized = (): ProtocolError => new ProtocolError('unauthorized', 'a valid token is required');

export class Authenticator {
  private readonly o: AuthenticatorOptions;

  constructor(options: AuthenticatorOptions) {
    this.o = options;
  }

  /** Whether nicks are accounts' names on this server right now. */
  async accountsOn(): Promise<boolean> {
    return this.o.jwt !== undefined || (await this.o.accounts.hasAny());
  }

  async authenticate(req: IncomingMessage, query: URLSearchParams): Promise<Principal> {
    const token = bearer(req) ?? query.get('token') ?? undefined;
    if (token === undefined) {
      const ticket = query.get('ticket');
      if (ticket !== null) {
        const p = this.o.tickets.take(ticket);
        if (p === undefined) throw new ProtocolError('unauthorized', 'the ticket is unknown, used or expired');
        return p;
      }
    }
    if (token !== undefined && parseAccountToken(token) !== undefined) {
      const name = await this.o.accounts.verify(token);
      if (name === undefined) throw unauthorized();
      return { kind: 'account', name };
    }
    if (token !== undefined && this.o.jwt !== undefined && JwtVerifier.looksLikeJwt(token)) {
      return this.o.jwt.verify(token);
    }
    // No account credential: the shared token (when set) decides, then whether accounts are on.
    if (this.o.shared.enabled && (token === undefined || !this.o.shared.matches(token))) throw unauthorized();
    if (!this.o.shared.enabled && token !== undefined && (await this.accountsOn())) throw unauthorized();
    if (!(await this.o.accounts.hasAny()) && this.o.jwt === undefined) return OPEN;
    if (this.o.guests) return GUEST;
    throw unauthorized();
  }
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined || header.length <= 7 || header.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  return header.slice(7).trim();
}
