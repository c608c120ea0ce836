/**
 * Short-lived, single-use tickets: a browser trades its token for one with
 * `POST /auth/ticket` (token in the header) and puts the ticket, not the
 * token, in an EventSource or WebSocket URL. A ticket stands for the same
 * principal, works once, and only within `ttlMs`. Kept in this process: with
 * several nodes, use a ticket on the node that issued it (or sticky routing
 * for that one request).
 */
import { randomBytes } from 'node:crypto';
import type { Principal } from './principal.js';

interface Entry {
  principal: Principal;
  expiresAt: number;
}

export class TicketBook {
  private readonly tickets = new Map<string, Entry>();
  readonly ttlMs: number;
  private readonly sweep: NodeJS.Timeout;

  /** @param options.ttlMs ticket lifetime, ms. Default 30000. */
  constructor(options: { ttlMs?: number } = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.sweep = setInterval(() => this.dropExpired(Date.now()), 10_000).unref();
  }

  issue(principal: Principal): { ticket: string; expiresInMs: number } {
    const ticket = 'tk_' + randomBytes(24).toString('base64url');
    const expiresAt = Math.min(
      Date.now() + this.ttlMs,
      principal.kind === 'account' ? (principal.expiresAt ?? Infinity) : Infinity,
    );
    this.tickets.set(ticket, { principal, expiresAt });
    return { ticket, expiresInMs: Math.max(0, expiresAt - Date.now()) };
  }

  /** The ticket's principal, once; undefined when unknown, used or expired. */
  take(ticket: string): Principal | undefined {
    const e = this.tickets.get(ticket);
    if (e === undefined) return undefined;
    this.tickets.delete(ticket);
    return e.expiresAt > Date.now() ? e.principal : undefined;
  }

  close(): void {
    clearInterval(this.sweep);
    this.tickets.clear();
  }

  private dropExpired(now: number): void {
    for (const [t, e] of this.tickets) if (e.expiresAt <= now) this.tickets.delete(t);
  }
}
