/**
 * How a client command finds its credential and trust: `--token` (or
 * RTCHAT_TOKEN) first, else the token `rtchat login` saved for the server;
 * `--ca FILE` read once here.
 */
import { credentialFor } from './credentials.js';
import { readCaFile } from './tls-files.js';

export interface ClientAuth {
  token?: string | undefined;
  /** PEM text of `--ca`, trusted besides the system CAs. */
  ca?: string | undefined;
}

export function resolveClientAuth(
  args: { token?: string | undefined; ca?: string | undefined },
  servers: readonly string[],
): ClientAuth {
  const token = args.token !== undefined && args.token !== '' ? args.token : credentialFor(servers);
  const ca = args.ca !== undefined && args.ca !== '' ? readCaFile(args.ca) : undefined;
  return { token, ca };
}
