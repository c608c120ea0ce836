import type { IncomingMessage } from 'node:http';
import { LIMITS, ProtocolError } from '../../protocol/index.js';

const JSON_TYPE_RE = /^application\/json\s*(;|$)/i;

/** Throws 415 unless the request says it carries JSON. */
export function requireJson(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  if (type === undefined || !JSON_TYPE_RE.test(type)) {
    throw new ProtocolError('unsupported_media_type', 'Content-Type must be application/json');
  }
}

/**
 * Reads and parses a JSON body of at most `maxBytes` (default 64 KiB). Past
 * the limit it stops reading and throws `too_large` (the caller closes the
 * connection after answering). Invalid UTF-8 is `invalid_text`, not silently
 * replaced; malformed JSON is `bad_request`.
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number = LIMITS.maxBody): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(new ProtocolError('too_large', `body must be at most ${maxBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | undefined, value?: unknown): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err !== undefined) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        finish(new ProtocolError('too_large', `body must be at most ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(
          chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
        );
      } catch {
        finish(new ProtocolError('invalid_text', 'body is not valid UTF-8'));
        return;
      }
      try {
        finish(undefined, JSON.parse(text));
      } catch {
        finish(new ProtocolError('bad_request', 'body is not valid JSON'));
      }
    };
    const onError = (err: Error): void => finish(err);
    const onAborted = (): void => finish(new ProtocolError('bad_request', 'request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/**
 * The most body bytes read only to be thrown away, so that a refusal leaves
 * the connection clean: 256 KiB, 4 × the 64 KiB body limit. A proxy in front
 * should pass no larger bodies (nginx: `client_max_body_size 256k`); past
 * this the refusal goes out with `Connection: close`.
 */
export const DISCARD_MAX_BYTES = 4 * LIMITS.maxBody;

/** How long a refusal waits for the rest of a body before it closes instead, ms. */
export const DISCARD_TIMEOUT_MS = 5000;

/**
 * Reads what is left of a request body and throws it away. Answering while a
 * client or a proxy is still writing the body, then closing, resets the
 * connection under it: nginx gets `writev() failed (32: Broken pipe)`,
 * answers 502 instead of our error and counts the node as failed. Read to the
 * end first, and the early answer (413, 415, 401, 503…) arrives as a response.
 *
 * Resolves true when the body ended within `maxBytes` (default
 * DISCARD_MAX_BYTES) and `timeoutMs` (default DISCARD_TIMEOUT_MS), so the
 * connection may be reused; false when it is larger (declared or seen), slower,
 * aborted or failed: then the caller answers with `Connection: close`.
 */
export function discardBody(
  req: IncomingMessage,
  options: { maxBytes?: number; timeoutMs?: number } = {},
): Promise<boolean> {
  const maxBytes = options.maxBytes ?? DISCARD_MAX_BYTES;
  if (req.complete || req.readableEnded) return Promise.resolve(true);
  if (req.destroyed) return Promise.resolve(false);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve(false);
  return new Promise((resolve) => {
    let size = 0;
    let done = false;
    const finish = (clean: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onFail);
      req.off('close', onFail);
      if (!clean) req.pause();
      resolve(clean);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) finish(false);
    };
    const onEnd = (): void => finish(true);
    const onFail = (): void => finish(false);
    const timer = setTimeout(onFail, options.timeoutMs ?? DISCARD_TIMEOUT_MS);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onFail);
    req.once('close', onFail);
    req.resume();
  });
}
