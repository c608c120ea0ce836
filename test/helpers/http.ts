/**
 * Plain HTTP against the server with undici: statuses and bodies as they are,
 * never thrown, so tests can assert on errors as easily as on successes.
 */
import { Agent, request, type Dispatcher } from 'undici';
import type { HelloEvent, PollResponse, PresenceEvent, SendBody } from '../../src/protocol/index.js';
import { newCid, newSession } from './ids.js';
import { track } from './tracker.js';

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  signal?: AbortSignal;
  /** E.g. an undici Agent bound to another loopback source address (`localAddress`). */
  dispatcher?: Dispatcher;
}

export type Query = Record<string, string | number | undefined>;

/** `?a=1&b=2`, leaving out undefined values; '' for an empty query. */
export function qs(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Appends `query` to a URL that may already have one. */
export function withQuery(url: string, query: Query = {}): string {
  const q = qs(query);
  if (!q) return url;
  return url.includes('?') ? `${url}&${q.slice(1)}` : `${url}${q}`;
}

/**
 * An undici Agent whose connections leave from `localAddress`: another client
 * on loopback (Linux routes all of 127.0.0.0/8 there). Destroyed by closeAllClients.
 */
export function agentFrom(localAddress: string): Agent {
  const agent = new Agent({ localAddress });
  track(() => void agent.destroy());
  return agent;
}

export async function http(url: string, options: HttpOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const res = await request(url, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body !== undefined && { body: options.body }),
    ...(options.signal && { signal: options.signal }),
    ...(options.dispatcher && { dispatcher: options.dispatcher }),
  });
  const text = await res.body.text();
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(res.headers)) {
    if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: flat, text, json };
}

export function getJson(url: string, options: Omit<HttpOptions, 'method' | 'body'> = {}): Promise<HttpResult> {
  return http(url, options);
}

/** `POST {base}/rooms/{room}/messages` with a JSON body (any value, for bad-input tests). */
export function postMessage(
  base: string,
  room: string,
  body: SendBody | Record<string, unknown>,
  options: Omit<HttpOptions, 'method' | 'body'> = {},
): Promise<HttpResult> {
  return http(`${base}/rooms/${encodeURIComponent(room)}/messages`, {
    ...options,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify(body),
  });
}

export interface PollQuery extends Query {
  after?: number;
  epoch?: string;
  session?: string;
  nick?: string;
  timeout?: number;
  pv?: number;
  limit?: number;
  token?: string;
}

/** One long poll; the body is typed as PollResponse but check `status` first. */
export async function poll(
  base: string,
  room: string,
  query: PollQuery = {},
  options: Omit<HttpOptions, 'method' | 'body'> = {},
): Promise<HttpResult & { body: PollResponse }> {
  const res = await http(`${base}/rooms/${encodeURIComponent(room)}/messages${qs(query)}`, options);
  return { ...res, body: res.json as PollResponse };
}

/** The hello a poll without `after` starts with (the room's epoch and head); throws when there is none. */
export async function helloOf(base: string, room: string): Promise<HelloEvent> {
  const res = await poll(base, room, {});
  const hello = res.status === 200 ? res.body.events.find((e): e is HelloEvent => e.type === 'hello') : undefined;
  if (!hello) throw new Error(`no hello from ${room}: ${res.status} ${res.text}`);
  return hello;
}

/** The room's presence snapshot (GET …/presence); throws on any status but 200. */
export async function presenceOf(base: string, room: string): Promise<PresenceEvent> {
  const res = await getJson(`${base}/rooms/${room}/presence`);
  if (res.status !== 200) throw new Error(`presence of ${room}: ${res.status} ${res.text}`);
  return res.json as PresenceEvent;
}

/**
 * Posts `count` messages one after another (so seq order is send order) and
 * returns their acks' seqs. Like a well-behaved client it sends under its own
 * session (anonymous sends share one budget per address, which unrelated
 * tests on the same server would drain) and, on 429, waits `Retry-After` and
 * retries the same cid. Throws on any other non-201.
 */
export async function postMany(
  base: string,
  room: string,
  count: number,
  options: { nick?: string; prefix?: string; session?: string; token?: string } = {},
): Promise<number[]> {
  const seqs: number[] = [];
  const session = options.session ?? newSession();
  const auth = options.token !== undefined ? { token: options.token } : {};
  for (let i = 1; i <= count; i++) {
    const body: Record<string, unknown> = {
      nick: options.nick ?? 'poster',
      text: `${options.prefix ?? 'm'}${i}`,
      session,
      cid: newCid('pm'),
    };
    let res = await postMessage(base, room, body, auth);
    for (let retry = 0; res.status === 429 && retry < 50; retry++) {
      const retryAfterMs = (res.json as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 1000;
      await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
      res = await postMessage(base, room, body, auth);
    }
    if (res.status !== 201) throw new Error(`post ${i} to ${room}: ${res.status} ${res.text}`);
    seqs.push((res.json as { seq: number }).seq);
  }
  return seqs;
}

/** Long polls the server holds now (`rtchat_connections{transport="longpoll"}`). */
export async function longPollsHeld(base: string, token: string): Promise<number> {
  const text = (await http(`${base}/metrics`, { token })).text;
  return Number(/^rtchat_connections\{transport="longpoll"\} (\d+)/m.exec(text)?.[1] ?? 0);
}
