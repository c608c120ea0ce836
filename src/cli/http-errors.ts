/**
 * How network and HTTP failures become exit codes: unreachable servers and
 * refused tokens are exit 3, with one line and never a stack trace.
 */
import { isSchemeProblem, type NetworkProblem } from '../client/network-errors.js';
import { isRecord } from '../protocol/validate.js';
import { CliError, EXIT } from './exit-codes.js';
import { RequestError, requestJson, type JsonRequest, type JsonResponse } from './http-request.js';

/** The `{type:"error"}` body of a failed request, when it has one. */
export function errorBody(body: unknown): { code: string; message: string; retryAfterMs?: number } | undefined {
  if (!isRecord(body) || typeof body.code !== 'string') return undefined;
  const message = typeof body.message === 'string' ? body.message : body.code;
  const retry = typeof body.retryAfterMs === 'number' ? body.retryAfterMs : undefined;
  return retry === undefined ? { code: body.code, message } : { code: body.code, message, retryAfterMs: retry };
}

/** One server that did not answer, and why. */
export interface Failure {
  server: string;
  /** A system or library code (ECONNREFUSED), or `HTTP 503`. */
  errno: string | undefined;
  problem?: NetworkProblem | undefined;
  /** In a person's words: "connection refused". */
  reason?: string | undefined;
}

/** The same URL with the other scheme, for "use --server https://…". */
function otherScheme(server: string): string {
  return server.startsWith('https:') ? 'http:' + server.slice('https:'.length) : 'https' + server.slice('http'.length);
}

/** What to do about a connection that failed for `problem`. */
function advice(problem: NetworkProblem | undefined): string {
  switch (problem) {
    case 'refused':
      return 'is the server running there? Check --server';
    case 'unknown_host':
      return 'check the host name in --server';
    case 'no_route':
    case 'timeout':
      return 'check --server and the network';
    default:
      return 'check --server';
  }
}

/**
 * The one line for servers that could not be reached (exit 3). A wrong scheme
 * or an untrusted certificate gets its own sentence: retrying cannot fix it.
 */
export function unreachableError(failures: Failure[]): CliError {
  const scheme = failures.find((f) => isSchemeProblem(f.problem));
  if (scheme) {
    const { server } = scheme;
    const other = otherScheme(server);
    if (scheme.problem === 'not_tls') {
      const line = `${server} does not speak TLS (https); for a plain http server use --server ${other}`;
      return new CliError(line, EXIT.unreachable);
    }
    if (scheme.problem === 'tls_expected') {
      return new CliError(`${server} speaks TLS (https), not plain http; use --server ${other}`, EXIT.unreachable);
    }
    if (scheme.errno === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      const line = `${server}: the server's TLS certificate is for another host name; use that name in --server`;
      return new CliError(line, EXIT.unreachable);
    }
    return new CliError(
      `${server}: the server's TLS certificate is not trusted (${scheme.errno ?? 'unknown issuer'}); ` +
        'trust its CA with --ca ca.pem',
      EXIT.unreachable,
    );
  }
  const why = (f: Failure): string => {
    const words = f.reason ?? f.errno ?? 'no answer';
    return f.errno !== undefined && f.errno !== words ? `${words}, ${f.errno}` : words;
  };
  const list = failures.map((f) => `${f.server} (${why(f)})`).join(' or ');
  return new CliError(`cannot reach ${list}; ${advice(failures[0]?.problem)}`, EXIT.unreachable);
}

/** A refused, expired (or missing) token: exit 3, whichever command met it. */
export function unauthorizedError(server?: string, hadToken = true, body?: unknown): CliError {
  const at = server === undefined ? '' : ` (${server})`;
  if (errorBody(body)?.code === 'token_expired') {
    return new CliError(`the token expired${at}; get a fresh one (rtchat login)`, EXIT.unreachable);
  }
  const line = hadToken
    ? `the server refused the token${at}; check --token, RTCHAT_TOKEN or rtchat login`
    : `the server needs a token${at}; pass --token, set RTCHAT_TOKEN or run rtchat login`;
  return new CliError(line, EXIT.unreachable);
}

/** A non-2xx answer that retrying cannot fix, as a one-line CliError. */
export function httpError(server: string, res: JsonResponse): CliError {
  if (res.status === 401) return unauthorizedError(server, true, res.body);
  const e = errorBody(res.body);
  const what = e ? `${e.message} (${e.code})` : 'no reason given';
  return new CliError(`${server} answered HTTP ${res.status}: ${what}`, EXIT.error);
}

export interface CallOptions extends Omit<JsonRequest, 'url'> {
  servers: string[];
  /** Path and query, starting with `/`. */
  path: string;
}

/**
 * Tries the servers in order until one answers (any status). A 401 is exit 3;
 * so is no server answering at all. Returns the answer and who gave it.
 */
export async function callFirstReachable(options: CallOptions): Promise<{ server: string; res: JsonResponse }> {
  const { servers, path, ...request } = options;
  const failures: Failure[] = [];
  for (const server of servers) {
    try {
      const res = await requestJson({ ...request, url: server + path });
      if (res.status === 401) throw unauthorizedError(server, Boolean(request.token), res.body);
      if (errorBody(res.body)?.code === 'https_required')
        throw unreachableError([{ server, errno: 'https_required', problem: 'tls_expected' }]);
      return { server, res };
    } catch (err) {
      if (!(err instanceof RequestError)) throw err;
      // A server that refuses, hangs, or answers like something else is as good as down.
      failures.push({ server, errno: err.errno, problem: err.problem, reason: err.message });
    }
  }
  throw unreachableError(failures);
}

/** Puts the server that answered first, keeping the others as fallbacks. */
export function preferServer(servers: string[], first: string): string[] {
  return [first, ...servers.filter((s) => s !== first)];
}
