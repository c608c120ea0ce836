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
  private readonly shared: TokenAuth;
  private readonly accounts: Accounts;
  private readonly tickets: TicketBook;
  private readonly jwt: JwtVerifier | undefined;
  private readonly guests: boolean;

  constructor(options: AuthenticatorOptions) {
    this.shared = options.shared;
    this.accounts = options.accounts;
    this.tickets = options.tickets;
    this.jwt = options.jwt;
    this.guests = options.guests ?? false;
  }

  /** Whether nicks are accounts' names on this server right now. */
  async accountsOn(): Promise<boolean> {
    return this.jwt !== undefined || (await this.accounts.hasAny());
  }

  async authenticate(req: IncomingMessage, query: URLSearchParams): Promise<Principal> {
    const token = bearer(req) ?? query.get('token') ?? undefined;
    if (token === undefined) {
      const ticket = query.get('ticket');
      if (ticket !== null) {
        const p = this.tickets.take(ticket);
        if (p === undefined) throw new ProtocolError('unauthorized', 'the ticket is unknown, used or expired');
        return p;
      }
    }
    if (token !== undefined && parseAccountToken(token) !== undefined) {
      const name = await this.accounts.verify(token);
      if (name === undefined) throw unauthorized();
      return { kind: 'account', name };
    }
    if (token !== undefined && this.jwt !== undefined && JwtVerifier.looksLikeJwt(token)) {
      return this.jwt.verify(token);
    }
    // No account credential: the shared token (when set) decides, then whether accounts are on.
    if (this.shared.enabled && (token === undefined || !this.shared.matches(token))) throw unauthorized();
    if (!this.shared.enabled && token !== undefined && (await this.accountsOn())) throw unauthorized();
    if (!(await this.accounts.hasAny()) && this.jwt === undefined) return OPEN;
    if (this.guests) return GUEST;
    throw unauthorized();
  }
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined || header.length <= 7 || header.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  return header.slice(7).trim();
}
