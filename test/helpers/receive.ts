/**
 * One way to read a room on any of the three transports, for tests that run
 * the same scenario over each: long polling (a loop of polls following
 * `next`), SSE (the real `eventsource` client) and WebSocket (`ws`).
 */
import { EventSource } from 'eventsource';
import type { MessageEvent as ChatMessage, RoomEvent, Via } from '../../src/protocol/index.js';
import { poll } from './http.js';
import { sseUrl } from './sse.js';
import { track } from './tracker.js';
import { DEFAULT_WAIT_MS, Inbox, withTimeout } from './wait-for.js';
import { openWs } from './ws.js';
import { wsText } from '../../src/util/ws-text.js';

export const TRANSPORTS: readonly Via[] = ['longpoll', 'sse', 'ws'];
const ROOM_EVENT_TYPES = new Set(['hello', 'message', 'presence', 'gap', 'reset']);

export interface ReceiverOptions {
  /** Base URL, `http://127.0.0.1:PORT`. */
  url: string;
  room: string;
  after?: number;
  epoch?: string;
  session?: string;
  nick?: string;
  token?: string;
  /** Long poll only: `pv` of the first poll (later polls follow the presence seen). */
  pv?: number;
}

export interface Receiver {
  via: Via;
  /** The room's events in order of arrival. */
  events: Inbox<RoomEvent>;
  messages(): ChatMessage[];
  /** Waits until `count` messages arrived; returns them all. */
  untilMessages(count: number, timeoutMs?: number): Promise<ChatMessage[]>;
  close(): void;
}

function isRoomEvent(value: unknown, room: string): value is RoomEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; room?: unknown };
  return typeof v.type === 'string' && ROOM_EVENT_TYPES.has(v.type) && v.room === room;
}

/** Opens a receiver and resolves once it is subscribed (first poll answered, or `hello` seen). */
export async function openReceiver(via: Via, options: ReceiverOptions): Promise<Receiver> {
  const events = new Inbox<RoomEvent>();
  let closeImpl: () => void;
  let ready: Promise<unknown>;
  if (via === 'longpoll') [closeImpl, ready] = startPollLoop(options, events);
  else if (via === 'sse') [closeImpl, ready] = startEventSource(options, events);
  else [closeImpl, ready] = await startWs(options, events);
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    untrack();
    closeImpl();
  };
  const untrack = track(close);
  const messages = (): ChatMessage[] => events.items.filter((e): e is ChatMessage => e.type === 'message');
  try {
    await withTimeout(ready, DEFAULT_WAIT_MS, `${via} receiver to subscribe`);
  } catch (err) {
    close();
    throw err;
  }
  return {
    via,
    events,
    messages,
    async untilMessages(count, timeoutMs = DEFAULT_WAIT_MS) {
      await events.until(() => messages().length >= count, timeoutMs, `${count} messages over ${via}`);
      return messages();
    },
    close,
  };
}

function startPollLoop(options: ReceiverOptions, events: Inbox<RoomEvent>): [() => void, Promise<unknown>] {
  const controller = new AbortController();
  let after = options.after;
  let epoch = options.epoch;
  let pv = options.pv;
  let first = true;
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const loop = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      const res = await poll(
        options.url,
        options.room,
        {
          after,
          epoch,
          session: options.session,
          nick: options.nick,
          token: options.token,
          pv,
          timeout: first ? 1 : 5,
        },
        { signal: controller.signal },
      );
      if (res.status !== 200) throw new Error(`poll answered ${res.status}: ${res.text}`);
      for (const e of res.body.events) {
        if (e.type === 'hello' || e.type === 'reset') epoch = e.epoch;
        if (e.type === 'presence') pv = Math.max(pv ?? 0, e.version);
        events.push(e);
      }
      after = res.body.next;
      if (first) resolveReady();
      first = false;
    }
  };
  loop().catch((err: unknown) => {
    if (!controller.signal.aborted) events.end(err instanceof Error ? err : new Error(String(err)));
  });
  return [() => controller.abort(), ready];
}

function startEventSource(options: ReceiverOptions, events: Inbox<RoomEvent>): [() => void, Promise<unknown>] {
  const url = sseUrl(options.url, options.room, {
    after: options.after,
    epoch: options.epoch,
    session: options.session,
    nick: options.nick,
    token: options.token,
  });
  const es = new EventSource(url);
  const ready = new Promise<void>((resolve, reject) => {
    for (const type of ROOM_EVENT_TYPES) {
      es.addEventListener(type, (ev: MessageEvent) => {
        const value: unknown = JSON.parse(String(ev.data));
        if (isRoomEvent(value, options.room)) events.push(value);
        if (type === 'hello') resolve();
      });
    }
    es.addEventListener('error', () => {
      // The package reconnects by itself; only a closed source is final.
      if (es.readyState === EventSource.CLOSED) reject(new Error('EventSource closed'));
    });
  });
  return [() => es.close(), ready];
}

async function startWs(options: ReceiverOptions, events: Inbox<RoomEvent>): Promise<[() => void, Promise<unknown>]> {
  const wsUrl = `${options.url.replace(/^http/, 'ws')}/ws`;
  const client = await openWs(wsUrl, {
    query: { session: options.session, nick: options.nick, token: options.token },
  });
  client.ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    try {
      const value: unknown = JSON.parse(wsText(data));
      if (isRoomEvent(value, options.room)) events.push(value);
    } catch {
      // Not JSON: the WsClient keeps it in `raw`.
    }
  });
  const ready = client.join(options.room, {
    ...(options.after !== undefined && { after: options.after }),
    ...(options.epoch !== undefined && { epoch: options.epoch }),
  });
  return [() => client.ws.terminate(), ready];
}
