import { ProtocolError } from '../../protocol/index.js';

/** Account names: lower-case ASCII, like room names but at most 32 long (a nick's limit). */
export const ACCOUNT_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Throws `bad_request` for anything but a valid account name. */
export function validateAccountName(name: string): string {
  if (!ACCOUNT_RE.test(name))
    throw new ProtocolError('bad_request', 'an account name must match ^[a-z0-9][a-z0-9_-]{0,31}$');
  return name;
}
