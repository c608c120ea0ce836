import { ProtocolError } from '../protocol/errors.js';
import { validateNick, validateRoom } from '../protocol/validate.js';
import { CliError, EXIT } from './exit-codes.js';

// Caught here rather than by the server so that a typo is a usage error
// (exit 2) before any connection is made.
function asUsage<T>(fn: () => T, flag: string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ProtocolError) throw new CliError(`${flag}: ${err.message}`, EXIT.usage);
    throw err;
  }
}

export function checkRoom(room: string): string {
  return asUsage(() => validateRoom(room), '--room');
}

export function checkNick(nick: string): string {
  return asUsage(() => validateNick(nick), '--nick');
}

/** Where a stream starts: after a seq, or at the room's head (`now`: new messages only). */
export type Since = number | 'now';

/** Parses `--since SEQ|now`; undefined when not given. */
export function parseSince(value: string | number | undefined): Since | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'now') return 'now';
  const n = typeof value === 'number' ? value : /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new CliError('--since must be a seq (an integer >= 0) or now', EXIT.usage);
  }
  return n;
}

/** The ChatClient options for a `Since`: a cursor after a seq, or new messages only. */
export function sinceOptions(since: Since | undefined): { cursor?: { seq: number }; newOnly?: boolean } {
  if (since === undefined) return {};
  return since === 'now' ? { newOnly: true } : { cursor: { seq: since } };
}
