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
