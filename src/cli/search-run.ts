/**
 * `rtchat search`: one GET of `/rooms/{room}/search` on the first server that
 * answers, the hits on stdout (one escaped line each, or one JSON message
 * event per line with --json), and how to get the next page on stderr.
 */
import { trustedCas } from '../client/tls-trust.js';
import { escapeTerminal } from '../protocol/escape.js';
import type { MessageEvent } from '../protocol/events.js';
import { parseSearchQuery, SEARCH_LIMITS } from '../protocol/search.js';
import { ProtocolError } from '../protocol/errors.js';
import { isRecord } from '../protocol/validate.js';
import { checkRoom } from './arg-checks.js';
import { resolveClientAuth } from './client-auth.js';
import { useColor, type ClientArgs } from './common-options.js';
import { CliError, EXIT } from './exit-codes.js';
import { callFirstReachable, httpError } from './http-errors.js';
import { clockTime, flushStdout, guardStdout, jsonLine, note } from './line-output.js';
import { parseServers } from './server-list.js';

export interface SearchArgs extends ClientArgs {
  /** yargs' leftovers: the command's name, then any words given after `--`. */
  _: (string | number)[];
  query?: string[] | undefined;
  limit?: number | undefined;
  before?: number | undefined;
}

/** Checks the flags before any connection: a typo is a usage error (exit 2). */
function checkArgs(args: SearchArgs): { room: string; q: string; query: URLSearchParams } {
  const room = checkRoom(args.room);
  // Words after `--` (so they may start with "-") land in `_`, after the command's own name.
  const words = [...(args.query ?? []), ...args._.slice(1).map(String)];
  if (words.length === 0) throw new CliError('a QUERY is needed: the words to find (rtchat search --help)', EXIT.usage);
  const q = words.join(' ');
  try {
    parseSearchQuery(q);
  } catch (err) {
    if (err instanceof ProtocolError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
  const query = new URLSearchParams({ q });
  const { limit, before } = args;
  if (limit !== undefined) {
    if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMITS.maxLimit) {
      throw new CliError(`--limit must be a whole number from 1 to ${SEARCH_LIMITS.maxLimit}`, EXIT.usage);
    }
    query.set('limit', String(limit));
  }
  if (before !== undefined) {
    if (!Number.isSafeInteger(before) || before < 0) throw new CliError('--before must be a seq (>= 0)', EXIT.usage);
    query.set('before', String(before));
  }
  return { room, q, query };
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DD HH:MM:SS` local time: hits can be days old, so the date is part of it. */
function stamp(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${clockTime(ts)}`;
}

/** `#seq [date time] <nick> text`, nick and text escaped so that one hit is one line. */
export function formatHit(m: MessageEvent, color: boolean): string {
  const nick = escapeTerminal(m.nick);
  const text = escapeTerminal(m.text);
  if (!color) return `#${m.seq} [${stamp(m.ts)}] <${nick}> ${text}\n`;
  return `\x1b[2m#${m.seq} [${stamp(m.ts)}]\x1b[22m <\x1b[1m${nick}\x1b[22m> ${text}\n`;
}

function isHit(v: unknown): v is MessageEvent {
  return isRecord(v) && typeof v.seq === 'number' && typeof v.nick === 'string' && typeof v.text === 'string';
}

export async function runSearch(args: SearchArgs): Promise<void> {
  const { room, query } = checkArgs(args);
  guardStdout();
  const servers = parseServers(args.server);
  const auth = resolveClientAuth(args, servers);
  const path = `/rooms/${room}/search?${query.toString()}`;
  const { server, res } = await callFirstReachable({ servers, path, token: auth.token, ca: trustedCas(auth.ca) });
  if (res.status !== 200) throw httpError(server, res);
  const body = res.body;
  if (!isRecord(body) || !Array.isArray(body.results) || typeof body.more !== 'boolean') {
    throw new CliError(`${server}: unexpected answer to GET /rooms/${room}/search`, EXIT.error);
  }
  const hits = body.results.filter(isHit);
  const color = useColor();
  process.stdout.write(hits.map((m) => (args.json ? jsonLine(m) : formatHit(m, color))).join(''));
  await flushStdout();
  if (body.complete === false && typeof body.scanned === 'number') {
    note(`the server stopped after reading ${body.scanned} messages (a Redis server's --search-scan bound)`);
  }
  if (body.more && typeof body.next === 'number') note(`more hits may be older: --before ${body.next}`);
  else if (hits.length === 0 && !args.json) note(`no message in ${room} matches`);
}
