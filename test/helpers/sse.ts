/**
 * A tiny, strict Server-Sent Events reader over undici. Unlike the
 * `eventsource` package it keeps every raw line, so tests can check the wire
 * format itself (`retry:` first, `id:` only on messages, one `data:` line).
 */
import { request, type Dispatcher } from 'undici';
import type { ServerEvent } from '../../src/protocol/index.js';
import { DEFAULT_WAIT_MS, deferred, Inbox, withTimeout } from './wait-for.js';
import { qs, withQuery, type Query } from './http.js';
import { track } from './tracker.js';

export interface SseFrame {
  /** `event:` field, 'message' when absent (as the SSE spec says). */
  event: string;
  /** The joined `data:` lines. */
  data: string;
  /** How many `data:` lines the frame had. */
  dataLines: number;
  /** `id:` field when the frame had one. */
  id: string | undefined;
  /** The parsed data, or undefined if it is not JSON. */
  json: ServerEvent | undefined;
}

export interface SseOptions {
  query?: Query;
  headers?: Record<string, string>;
  /** Sent as the `Last-Event-ID` header. */
  lastEventId?: string;
  /** Sent as `Authorization: Bearer`. */
  token?: string;
  /** E.g. an undici Agent bound to another loopback source address. */
  dispatcher?: Dispatcher;
}

export interface SseStream {
  status: number;
  headers: Record<string, string>;
  /** The body text when the answer was not a 200 stream. */
  errorBody: string;
  /** Every raw line, in order, comments included. */
  lines: string[];
  /** Every `field: value` line in order (comments and blank lines left out). */
  fields: Array<{ name: string; value: string }>;
  frames: Inbox<SseFrame>;
  /** The parsed data of each frame, in order. */
  events: Inbox<ServerEvent>;
  /** Resolves when the server ends the stream (or it errors). */
  ended: Promise<void>;
  close(): void;
}

/** Opens `{base}/rooms/{room}/events` (or any URL when `room` is undefined). */
export function sseUrl(base: string, room: string, query: Query = {}): string {
  return `${base}/rooms/${encodeURIComponent(room)}/events${qs(query)}`;
}

export async function collectSse(url: string, options: SseOptions = {}): Promise<SseStream> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const fullUrl = withQuery(url, options.query);
  const res = await request(fullUrl, {
    method: 'GET',
    headers,
    signal: controller.signal,
    ...(options.dispatcher && { dispatcher: options.dispatcher }),
  });
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(res.headers)) {
    if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  const frames = new Inbox<SseFrame>();
  const events = new Inbox<ServerEvent>();
  const done = deferred();
  const stream: SseStream = {
    status: res.statusCode,
    headers: flat,
    errorBody: '',
    lines: [],
    fields: [],
    frames,
    events,
    ended: done.promise,
    close: () => controller.abort(),
  };
  const untrack = track(() => controller.abort());
  if (res.statusCode !== 200) {
    stream.errorBody = await res.body.text();
    untrack();
    done.resolve();
    return stream;
  }

  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  const dispatch = (): void => {
    if (data.length === 0) {
      event = '';
      id = undefined;
      return;
    }
    const joined = data.join('\n');
    let json: ServerEvent | undefined;
    try {
      json = JSON.parse(joined) as ServerEvent;
    } catch {
      json = undefined;
    }
    frames.push({ event: event || 'message', data: joined, dataLines: data.length, id, json });
    if (json) events.push(json);
    event = '';
    data = [];
    id = undefined;
  };
  const onLine = (line: string): void => {
    stream.lines.push(line);
    if (line === '') return dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    stream.fields.push({ name, value });
    if (name === 'event') event = value;
    else if (name === 'data') data.push(value);
    else if (name === 'id') id = value;
  };

  res.body.setEncoding('utf8');
  res.body.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, nl);
      const crlf = buffer[nl] === '\r' && buffer[nl + 1] === '\n';
      buffer = buffer.slice(nl + (crlf ? 2 : 1));
      onLine(line);
    }
  });
  const finish = (reason: string): void => {
    untrack();
    frames.end(new Error(reason));
    events.end(new Error(reason));
    done.resolve();
  };
  res.body.on('end', () => finish('stream ended'));
  res.body.on('error', (err: Error) => finish(`stream error: ${err.message}`));
  return stream;
}

/** Waits, bounded, for the server to end the stream. */
export function waitSseEnd(stream: SseStream, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
  return withTimeout(stream.ended, timeoutMs, 'the SSE stream to end');
}
