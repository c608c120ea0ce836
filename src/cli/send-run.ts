/**
 * `rtchat send`: one plain HTTP POST per message, retried with the same cid
 * (so never stored twice) until acked or out of time.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AckEvent } from '../protocol/events.js';
import { codeForStatus } from '../protocol/http-status.js';
import { isRecord, normalizeNewlines } from '../protocol/validate.js';
import { trustedCas } from '../client/tls-trust.js';
import { textProblem } from '../client/text-check.js';
import { CliError, EXIT } from './exit-codes.js';
import { errorBody, httpError, unauthorizedError, unreachableError, type Failure } from './http-errors.js';
import { RequestError, requestJson } from './http-request.js';
import { flushStdout, jsonLine, note } from './line-output.js';
import type { NumberedLine } from './stdin-lines.js';

export interface SendOptions {
  servers: string[];
  room: string;
  nick: string;
  token?: string | undefined;
  /** PEM of `--ca`. */
  ca?: string | undefined;
  json: boolean;
  /** Messages to send, in order, with their input line numbers. */
  texts: Iterable<NumberedLine> | AsyncIterable<NumberedLine>;
  /** Name refused texts by line number (they come from stdin lines). */
  numbered?: boolean;
  /** How long one message may take to be acked, ms, before exit 4. */
  ackTimeoutMs: number;
  /** Time to establish a connection, ms; default 3000. */
  connectTimeoutMs?: number;
  /** Called with each ack, after it was printed. */
  onAck?: (ack: AckEvent) => void;
}

/** A send the server refused for good (bad text, conflict): retrying cannot help. */
class Rejected extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function newId(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function isAck(body: unknown): body is AckEvent {
  return isRecord(body) && typeof body.seq === 'number' && typeof body.cid === 'string';
}

class Sender {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly session = newId(16);
  /** Index of the server that answered last; later sends start there. */
  private current = 0;
  /** Whether any server ever took a connection: afterwards, failures mean "not acked", not "unreachable". */
  private reached = false;
  private readonly ca: string[] | undefined;

  constructor(private readonly options: SendOptions) {
    this.ca = trustedCas(options.ca);
  }

  async send(text: string): Promise<AckEvent> {
    const cid = newId(12);
    const body = { nick: this.options.nick, session: this.session, cid, text };
    const deadline = Date.now() + this.options.ackTimeoutMs;
    const path = `/rooms/${encodeURIComponent(this.options.room)}/messages`;
    const servers = this.options.servers;
    let backoffMs = 100;
    for (;;) {
      const failures: Failure[] = [];
      let waitMs = 0;
      for (let i = 0; i < servers.length; i++) {
        const index = (this.current + i) % servers.length;
        const server = servers[index] ?? '';
        const left = deadline - Date.now();
        if (left <= 0) break;
        let res;
        try {
          res = await requestJson({
            url: server + path,
            method: 'POST',
            body,
            token: this.options.token,
            ca: this.ca,
            agent: this.agent,
            connectTimeoutMs: Math.min(this.options.connectTimeoutMs ?? 3000, left),
            // Several tries fit in the deadline: a lost answer is retried
            // (same cid) instead of eating all the time.
            timeoutMs: Math.min(left, Math.max(2000, this.options.ackTimeoutMs / 3)),
          });
        } catch (err) {
          if (!(err instanceof RequestError)) throw err;
          // Broken or unanswered: the send may have been stored, so later
          // failures mean "not acked". Refused, or not an rtchat answer: not sent.
          if (err.code === 'broken' || err.code === 'timeout') this.reached = true;
          failures.push({ server, errno: err.errno, problem: err.problem, reason: err.message });
          continue;
        }
        this.reached = true;
        if ((res.status === 200 || res.status === 201) && isAck(res.body)) {
          this.current = index;
          return res.body;
        }
        if (res.status === 401) throw unauthorizedError(server, Boolean(this.options.token), res.body);
        if (errorBody(res.body)?.code === 'https_required') {
          throw unreachableError([{ server, errno: 'https_required', problem: 'tls_expected' }]);
        }
        const code = codeForStatus(res.status);
        if (code === 'rate_limited') {
          this.current = index;
          const e = errorBody(res.body);
          const header = Number(res.headers['retry-after']);
          waitMs = e?.retryAfterMs ?? (Number.isFinite(header) ? header * 1000 : 500);
          break;
        }
        if (code === 'unavailable' || res.status < 400) {
          // Shutting down, store unavailable, or a garbled answer: the same
          // cid may go anywhere, so try the next server.
          failures.push({ server, errno: `HTTP ${res.status}` });
          continue;
        }
        const e = errorBody(res.body);
        throw new Rejected(e ? `${e.message} (${e.code})` : httpError(server, res).message);
      }
      if (!this.reached && failures.length === servers.length) throw unreachableError(failures);
      const left = deadline - Date.now();
      if (left <= 0) {
        const last = failures.at(-1);
        const why = last ? ` (last try: ${last.reason ?? last.errno ?? 'no answer'})` : '';
        throw new CliError(
          `message not acked within ${Math.round(this.options.ackTimeoutMs / 1000)}s` +
            `${why}; retry later or raise --timeout`,
          EXIT.timeout,
        );
      }
      await sleep(Math.min(left, waitMs || backoffMs));
      backoffMs = Math.min(backoffMs * 2, 2000);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Sends every text in order; returns the exit code (1 if any was refused). */
export async function runSend(options: SendOptions): Promise<number> {
  const sender = new Sender(options);
  let refused = 0;
  try {
    for await (const { line, text: raw } of options.texts) {
      const text = normalizeNewlines(raw);
      const what = options.numbered ? `line ${line} not sent` : 'not sent';
      // Refused here, before it leaves: the server would only say invalid_text.
      const problem = textProblem(text);
      if (problem !== undefined) {
        refused++;
        note(`${what}: ${problem}`);
        continue;
      }
      try {
        const ack = await sender.send(text);
        process.stdout.write(options.json ? jsonLine(ack) : `${ack.seq}\n`);
        options.onAck?.(ack);
      } catch (err) {
        if (!(err instanceof Rejected)) throw err;
        refused++;
        note(`${what}: ${err.message}`);
      }
    }
  } finally {
    sender.close();
  }
  await flushStdout();
  return refused > 0 ? EXIT.error : EXIT.ok;
}
