/**
 * Who a request speaks for, decided once per request (or per upgrade, or per
 * stream) by the Authenticator:
 * - `open`: no accounts on this server (no token, or the shared `--token`);
 *   the client names itself, but cannot take a nick a present session holds.
 * - `guest`: accounts are on and `--guests` admits someone without one; its
 *   nick is shown as `~nick` and can never be an account's name.
 * - `account`: a verified account (its own token, or a JWT whose `sub` it
 *   is); its nick is its name, whatever the client sends.
 */
export type Principal =
  | { kind: 'open' }
  | { kind: 'guest' }
  | {
      kind: 'account';
      name: string;
      /** A JWT's `rooms` claim: the only rooms this credential may use. */
      rooms?: readonly string[] | undefined;
      /** Wall-clock ms after which the credential is void (a JWT's `exp`). */
      expiresAt?: number | undefined;
    };

export const OPEN: Principal = { kind: 'open' };
export const GUEST: Principal = { kind: 'guest' };
