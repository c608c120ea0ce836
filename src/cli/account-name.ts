/**
 * The account a token belongs to, asked of the server (`GET /auth/whoami`).
 * The server posts an account's messages under the account's name whatever
 * nick the client gives, so the terminal client must use that name as its
 * nick: it is what mentions are matched against, what the status line shows
 * and how the user's own words from other clients are told apart.
 */
import { isRecord } from '../protocol/validate.js';
import { requestJson } from './http-request.js';

export interface AccountNameOptions {
  /** Base URL of the server that answered the preflight. */
  server: string;
  /** Bearer token; without one there is no account and nothing is asked. */
  token?: string | undefined;
  /** Trusted CAs for https (see src/client/tls-trust.ts). */
  ca?: string[] | undefined;
}

/**
 * @returns the account's name, or undefined for a server-wide token, a guest,
 *   a JWT without an account, a server without accounts, or any failure (the
 *   caller keeps its `--nick` then: the name is a comfort, not a gate).
 */
export async function accountName(options: AccountNameOptions): Promise<string | undefined> {
  if (options.token === undefined || options.token === '') return undefined;
  try {
    const res = await requestJson({
      url: `${options.server}/auth/whoami`,
      token: options.token,
      ca: options.ca,
      connectTimeoutMs: 3000,
      timeoutMs: 3000,
    });
    const body = res.body;
    if (res.status !== 200 || !isRecord(body) || body.kind !== 'account') return undefined;
    return typeof body.name === 'string' && body.name !== '' ? body.name : undefined;
  } catch {
    return undefined;
  }
}
