/**
 * Network failures in a person's words. Node, `ws`, undici and eventsource
 * report the same fault in different shapes (an errno on the error, on its
 * `cause`, or only inside a message such as `fetch failed: …`); this reads
 * all of them, so that no raw OpenSSL text reaches a status bar or stderr.
 * No dependencies: `rtchat send` loads it too.
 */

export type NetworkProblem =
  /** Nothing listens on that port. */
  | 'refused'
  /** The host name does not resolve. */
  | 'unknown_host'
  /** The host or network cannot be routed to. */
  | 'no_route'
  /** No connection or no answer in time. */
  | 'timeout'
  /** The peer closed or reset the connection before answering. */
  | 'reset'
  /** An https URL, but the server does not speak TLS (a plain http server). */
  | 'not_tls'
  /** An http URL, but the server speaks TLS (found by `speaksTls`, never from an errno alone). */
  | 'tls_expected'
  /** TLS works, but the certificate is not trusted (self-signed, expired, wrong name). */
  | 'untrusted_cert';

export interface NetworkDiagnosis {
  problem: NetworkProblem | undefined;
  /** The system or library code, e.g. ECONNREFUSED, when there is one. */
  errno: string | undefined;
  /** What went wrong, in a few words, for "cannot reach URL (…)". */
  reason: string;
}

const REASONS: Record<NetworkProblem, string> = {
  refused: 'connection refused',
  unknown_host: 'unknown host',
  no_route: 'no route to the host',
  timeout: 'no answer in time',
  reset: 'the connection was closed before an answer',
  not_tls: 'the server does not speak TLS (https)',
  tls_expected: 'the server speaks TLS (https), not plain http',
  untrusted_cert: "the server's TLS certificate is not trusted",
};

const BY_ERRNO: Record<string, NetworkProblem> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'unknown_host',
  EAI_AGAIN: 'unknown_host',
  EAI_NONAME: 'unknown_host',
  EHOSTUNREACH: 'no_route',
  ENETUNREACH: 'no_route',
  EHOSTDOWN: 'no_route',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  ERR_SSL_WRONG_VERSION_NUMBER: 'not_tls',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'not_tls',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted_cert',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted_cert',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted_cert',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted_cert',
  CERT_HAS_EXPIRED: 'untrusted_cert',
  CERT_NOT_YET_VALID: 'untrusted_cert',
  ERR_TLS_CERT_ALTNAME_INVALID: 'untrusted_cert',
};

/** Messages that carry the fault only as text (eventsource: `fetch failed: <cause>`). */
const BY_TEXT: [RegExp, NetworkProblem][] = [
  [/wrong version number|packet length too long|unknown protocol/i, 'not_tls'],
  [/self[- ]signed certificate|unable to verify|unable to get (local )?issuer/i, 'untrusted_cert'],
  [/certificate has expired|certificate is not yet valid|altnames/i, 'untrusted_cert'],
  [/ECONNREFUSED/, 'refused'],
  [/ENOTFOUND|EAI_AGAIN/, 'unknown_host'],
  [/EHOSTUNREACH|ENETUNREACH/, 'no_route'],
  [/ETIMEDOUT|timed? ?out/i, 'timeout'],
  [/ECONNRESET|socket hang up|other side closed/i, 'reset'],
];

/** Codes and messages along an error's `cause` chain, outermost first. */
function chain(err: unknown): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (typeof message === 'string') messages.push(message);
    e = cause;
  }
  if (typeof err === 'string') messages.push(err);
  return { codes, messages };
}

/** The first line of a message, without OpenSSL's `error:0A00010B:…` tail, at most 100 characters. */
function shortText(message: string): string {
  const line = (message.split('\n')[0] ?? '').replace(/\s*[0-9A-F]{8,}:error:.*$/, '').trim();
  return line.length > 100 ? line.slice(0, 99) + '…' : line;
}

/** What a network failure means, read from codes first and message text second. */
export function diagnoseNetworkError(err: unknown): NetworkDiagnosis {
  const { codes, messages } = chain(err);
  for (const code of codes) {
    const problem = BY_ERRNO[code];
    if (problem) return { problem, errno: code, reason: REASONS[problem] };
  }
  for (const message of messages) {
    for (const [re, problem] of BY_TEXT) {
      if (re.test(message)) return { problem, errno: codes[0], reason: REASONS[problem] };
    }
  }
  const text = messages.map(shortText).find((m) => m !== '');
  return { problem: undefined, errno: codes[0], reason: text ?? codes[0] ?? 'network error' };
}

/** The few words for a known problem. */
export function problemReason(problem: NetworkProblem): string {
  return REASONS[problem];
}

/** Problems that retrying cannot fix: the URL or the trust store must change. */
export function isSchemeProblem(problem: NetworkProblem | undefined): boolean {
  return problem === 'not_tls' || problem === 'tls_expected' || problem === 'untrusted_cert';
}
