/**
 * `rtchat send --to NAME`: opens the DM room with an account (`POST /dms`)
 * on the first server that answers, so the send that follows goes there.
 */
import { isRecord } from '../protocol/validate.js';
import { trustedCas } from '../client/tls-trust.js';
import { ACCOUNT_RE } from '../server/identity/account-name.js';
import { CliError, EXIT } from './exit-codes.js';
import { callFirstReachable, errorBody, httpError } from './http-errors.js';
import { RequestError } from './http-request.js';

/** `--to` as an account name (a leading `@` is allowed); a usage error otherwise. */
export function checkPeer(to: string): string {
  const name = to.startsWith('@') ? to.slice(1) : to;
  if (!ACCOUNT_RE.test(name)) {
    throw new CliError(`--to must name an account (^[a-z0-9][a-z0-9_-]{0,31}$), got ${JSON.stringify(to)}`, EXIT.usage);
  }
  return name;
}

/**
 * The DM room with `to`, and the server that opened it.
 * @throws CliError exit 1 without an account (`forbidden`), for an unknown
 *   account or oneself; exit 3 when no server answers or the token is refused.
 */
export async function openDmRoom(o: {
  servers: string[];
  to: string;
  token?: string | undefined;
  ca?: string | undefined;
}): Promise<{ server: string; room: string }> {
  const { server, res } = await callFirstReachable({
    servers: o.servers,
    path: '/dms',
    method: 'POST',
    body: { to: o.to },
    token: o.token,
    ca: trustedCas(o.ca),
  });
  const body = res.body;
  if ((res.status === 200 || res.status === 201) && isRecord(body) && typeof body.room === 'string') {
    return { server, room: body.room };
  }
  const code = errorBody(body)?.code;
  if (code === 'forbidden') {
    throw new CliError(`${server}: direct messages need an account (log in with an account token)`, EXIT.error);
  }
  if (code === 'not_found') throw new CliError(`${server}: no account ${o.to}`, EXIT.error);
  throw httpError(server, res);
}

/**
 * Moves the account's read marker in the DM to `seq` (one's own last
 * message), as sending in a room marks it read in other chat clients. Best
 * effort: the messages are sent, so a failure here changes no exit code.
 */
export async function markDmRead(o: {
  servers: string[];
  room: string;
  seq: number;
  token?: string | undefined;
  ca?: string | undefined;
}): Promise<void> {
  try {
    await callFirstReachable({
      servers: o.servers,
      path: `/rooms/${encodeURIComponent(o.room)}/read`,
      method: 'POST',
      body: { seq: o.seq },
      token: o.token,
      ca: trustedCas(o.ca),
    });
  } catch (err) {
    if (!(err instanceof RequestError) && !(err instanceof CliError)) throw err;
  }
}
