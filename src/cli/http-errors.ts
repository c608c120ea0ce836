/**
 * How network and HTTP failures become exit codes: unreachable servers and
 * refused tokens are exit 3, with one line and never a stack trace.
 */
import { codeForStatus } from '../protocol/http-status.js';
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

export function unreachableError(failures: { server: string; errno: string }[]): CliError {
  const list = failures.map((f) => `${f.server} (${f.errno})`).join(', ');
  return new CliError(`cannot reach ${list}`, EXIT.unreachable);
}

export function unauthorizedError(server: string, hadToken = true): CliError {
  const what = hadToken ? 'refused the token' : 'needs a token (--token or RTCHAT_TOKEN)';
  return new CliError(`${server} ${what} (401 unauthorized)`, EXIT.unreachable);
}

/** A non-2xx answer that retrying cannot fix, as a one-line CliError. */
export function httpError(server: string, res: JsonResponse): CliError {
  if (codeForStatus(res.status) === 'unauthorized') return unauthorizedError(server);
  const e = errorBody(res.body);
  const what = e ? `${e.code}: ${e.message}` : `HTTP ${res.status}`;
  return new CliError(`${server}: ${what}`, EXIT.error);
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
  const failures: { server: string; errno: string }[] = [];
  for (const server of servers) {
    try {
      const res = await requestJson({ ...request, url: server + path });
      if (codeForStatus(res.status) === 'unauthorized') throw unauthorizedError(server, Boolean(request.token));
      return { server, res };
    } catch (err) {
      if (err instanceof RequestError && err.code !== 'bad_response') {
        // A server that accepts connections but never answers is as good as down.
        failures.push({ server, errno: err.errno ?? err.code });
        continue;
      }
      if (err instanceof RequestError) throw new CliError(`${server}: ${err.message}`, EXIT.error);
      throw err;
    }
  }
  throw unreachableError(failures);
}

/** Puts the server that answered first, keeping the others as fallbacks. */
export function preferServer(servers: string[], first: string): string[] {
  return [first, ...servers.filter((s) => s !== first)];
}
