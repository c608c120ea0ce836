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
        text = new TextDecoder('utf-8', { fatal: true }).decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
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
