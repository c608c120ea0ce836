/**
 * `rtchat unread`: the rooms with messages after the read marker. With an
 * account, `GET /unread` (markers on the server, DMs included). Without one
 * (the server answers 403 forbidden), the markers this machine keeps in its
 * state directory, against the heads of `GET /rooms`; that list carries no
 * epochs, so a head below the marker is taken as a log that started over
 * (everything unread).
 */
import { LocalMarkers } from '../client/local-markers.js';
import { trustedCas } from '../client/tls-trust.js';
import type { UnreadRoom } from '../protocol/read-marker.js';
import { isRecord } from '../protocol/validate.js';
import { resolveClientAuth } from './client-auth.js';
import type { ClientArgs } from './common-options.js';
import { CliError, EXIT } from './exit-codes.js';
import { callFirstReachable, errorBody, httpError, preferServer } from './http-errors.js';
import { flushStdout, guardStdout, jsonLine } from './line-output.js';
import { parseServers } from './server-list.js';

/** `rtchat unread` flags (the client's common ones and `--all`). */
export interface UnreadArgs extends ClientArgs {
  all: boolean;
}

/** A local count: the server's shape without `epoch` (GET /rooms gives none). */
type Count = Omit<UnreadRoom, 'epoch'> & { epoch?: string };

function isCount(u: unknown): u is Count {
  return isRecord(u) && typeof u.room === 'string' && typeof u.head === 'number' && typeof u.unread === 'number';
}

/**
 * Counts from this machine's markers, keyed by `key` (the first --server: a
 * failover list shares one store), against GET /rooms on whichever of
 * `servers` answers.
 */
async function localCounts(o: {
  key: string;
  servers: string[];
  token?: string | undefined;
  ca?: string[] | undefined;
}): Promise<Count[]> {
  const markers = new LocalMarkers();
  await markers.load();
  const mine = markers.list(o.key);
  if (mine.length === 0) return [];
  const { server, res } = await callFirstReachable({ servers: o.servers, path: '/rooms', token: o.token, ca: o.ca });
  const list = isRecord(res.body) ? res.body.rooms : undefined;
  if (res.status !== 200 || !Array.isArray(list)) throw httpError(server, res);
  const heads = new Map<string, number>();
  for (const r of list)
    if (isRecord(r) && typeof r.room === 'string' && typeof r.head === 'number') heads.set(r.room, r.head);
  const counts: Count[] = [];
  for (const m of mine) {
    const head = heads.get(m.room);
    if (head === undefined) continue;
    const read = m.seq <= head ? m.seq : 0;
    counts.push({ room: m.room, head, read, unread: head - read, dm: false });
  }
  return counts;
}

export async function runUnread(args: UnreadArgs): Promise<void> {
  guardStdout();
  const servers = parseServers(args.server);
  const auth = resolveClientAuth(args, servers);
  const ca = trustedCas(auth.ca);
  const { server, res } = await callFirstReachable({ servers, path: '/unread', token: auth.token, ca });
  let counts: Count[];
  if (res.status === 200) {
    const list = isRecord(res.body) ? res.body.rooms : undefined;
    if (!Array.isArray(list)) throw new CliError(`${server}: unexpected answer to GET /unread`, EXIT.error);
    counts = list.filter(isCount);
  } else if (res.status === 403 && errorBody(res.body)?.code === 'forbidden') {
    // No account: this machine's markers.
    const key = servers[0] ?? server;
    counts = await localCounts({ key, servers: preferServer(servers, server), token: auth.token, ca });
  } else {
    throw httpError(server, res);
  }
  const shown = args.all ? counts : counts.filter((c) => c.unread > 0);
  process.stdout.write(
    shown
      .map((c) =>
        args.json ? jsonLine(c) : `${c.dm && c.peer !== undefined ? '@' + c.peer : '#' + c.room} ${c.unread} unread\n`,
      )
      .join(''),
  );
  await flushStdout();
}
