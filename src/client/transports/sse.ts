/**
 * Server-Sent Events: the `eventsource` package receives, the shared
 * HttpSender sends and pings. The EventSource's own reconnects are not used:
 * on any error it is closed and the ChatClient reconnects from its cursor
 * (with backoff and failover), like every other transport.
 *
 * One room uses the classic `GET /rooms/{room}/events`; 2+ rooms one
 * multi-room stream, `GET /events?rooms=<cursor list>` (docs/protocol.md 8.4).
 * Rooms are added or removed by reopening (the client's live reopen).
 *
 * Dead-peer detection: eventsource does not surface `: ping` comments, so the
 * fetch it uses is wrapped and every chunk read off the body (comments
 * included) counts as a sign of life.
 */
import { EventSource, type FetchLike, type FetchLikeResponse } from 'eventsource';
import { fetch } from 'undici';
import { codeForStatus, errorCodeOf, isRecord } from '../../protocol/index.js';
import { formatRoomCursors } from '../../protocol/room-cursors.js';
import { ClientError, isFatalError, toClientError } from '../errors.js';
import { HttpTransport } from './http-transport.js';
import { parseServerEvent, isRoomEvent } from './room-events.js';
import type { TransportFactory } from './transport.js';
import { Watchdog } from './watchdog.js';

/** Room events, and `dm` notices (extension, docs/protocol.md 8.4). */
const EVENT_TYPES = ['hello', 'message', 'presence', 'gap', 'reset', 'dm'] as const;

export class SseTransport extends HttpTransport {
  readonly via = 'sse' as const;
  private es: EventSource | undefined;
  private watchdog: Watchdog | undefined;
  private opened = false;
  /** The last failure of the wrapped fetch: EventSource's error event drops its cause. */
  private fetchError: unknown;
  /** The server's JSON error of a refused stream (its code and message): EventSource keeps only the status. */
  private refusal: { code: string | undefined; message: string | undefined } | undefined;
  /** Rooms whose hello has not arrived yet: the open resolves when none is left. */
  private readonly waitingHello = new Set(this.options.rooms.map((r) => r.room));

  open(): Promise<void> {
    const o = this.options;
    const url = this.streamUrl();

    return new Promise<void>((resolve, reject) => {
      const es = new EventSource(url, { fetch: this.fetcher() });
      this.es = es;
      const onData = (raw: unknown): void => {
        if (this.closed || typeof raw !== 'string') return;
        this.watchdog?.touch();
        const event = parseServerEvent(raw);
        if (event?.type === 'dm') {
          this.handlers.onEvent(event);
          return;
        }
        if (!event || !isRoomEvent(event)) return;
        if (event.type === 'hello') this.waitingHello.delete(event.room);
        if (!this.opened && this.waitingHello.size === 0) {
          this.opened = true;
          this.watchdog = new Watchdog(2 * o.heartbeatMs, (ms) =>
            this.fail(new ClientError('timeout', `no data or heartbeat for ${ms} ms`)),
          );
          resolve();
        }
        this.handlers.onEvent(event);
      };
      for (const type of EVENT_TYPES) es.addEventListener(type, (e) => onData(e.data));
      es.addEventListener('error', (e) => {
        // A server-sent `event: error` carries data; the transport's own errors do not.
        const data: unknown = (e as MessageEvent).data;
        if (typeof data === 'string') {
          const event = parseServerEvent(data);
          if (event?.type === 'error' && event.code === 'token_expired') {
            const expired = new ClientError(
              'token_expired',
              'the server ended the stream: the token expired or was revoked',
            );
            if (this.opened) this.fail(expired);
            else this.failOpen(reject, expired);
          } else if (!this.opened) this.failOpen(reject, new ClientError('protocol', `server error: ${data}`));
          return;
        }
        const status = (e as { code?: number }).code;
        const message = (e as { message?: string }).message ?? 'event stream failed';
        const cause = this.fetchError === undefined ? undefined : toClientError(this.fetchError);
        // No status: the request itself failed (refused, reset, TLS), so the cause says why.
        const code =
          status === undefined
            ? undefined
            : (errorCodeOf(status, { code: this.refusal?.code }) ??
              codeForStatus(status) ??
              (status === 404 ? 'not_found' : 'protocol'));
        const said = this.refusal?.message;
        const err =
          cause !== undefined && isFatalError(cause)
            ? cause
            : code === undefined
              ? toClientError(new Error(message))
              : code === 'unauthorized'
                ? new ClientError(code, 'server refused the token', { status })
                : code === 'not_found'
                  ? new ClientError(code, said ?? 'no such room', { status })
                  : new ClientError(code, said ?? message, { status });
        if (this.opened) this.fail(err);
        else this.failOpen(reject, err);
      });
    });
  }

  /** The stream's URL: the classic one for one room, the multi-room one for more. */
  private streamUrl(): URL {
    const o = this.options;
    const [first] = o.rooms;
    let url: URL;
    if (first !== undefined && o.rooms.length === 1) {
      url = this.http.url(`/rooms/${encodeURIComponent(first.room)}/events`);
      if (first.position.after !== undefined) url.searchParams.set('after', String(first.position.after));
      if (first.position.epoch !== undefined) url.searchParams.set('epoch', first.position.epoch);
    } else {
      url = this.http.url('/events');
      url.searchParams.set('rooms', formatRoomCursors(o.rooms.map((r) => ({ room: r.room, ...r.position }))));
    }
    url.searchParams.set('session', o.session);
    if (o.present) url.searchParams.set('nick', o.nick);
    return url;
  }

  protected stopReceiving(): void {
    this.watchdog?.stop();
    this.es?.close();
  }

  private failOpen(reject: (err: ClientError) => void, err: ClientError): void {
    this.close();
    reject(err);
  }

  private fail(err: ClientError): void {
    if (this.closed) return;
    this.close();
    this.handlers.onDown(err);
  }

  /** undici fetch over the shared Pool, with the token and a liveness tap on the body. */
  private fetcher(): FetchLike {
    const token = this.options.token;
    return async (input, init): Promise<FetchLikeResponse> => {
      let res;
      try {
        res = await fetch(input, {
          method: 'GET',
          headers: token ? { ...init.headers, authorization: `Bearer ${token}` } : init.headers,
          signal: init.signal as AbortSignal | undefined,
          redirect: init.redirect,
          cache: init.cache,
          dispatcher: this.http.pool,
        });
      } catch (err) {
        this.fetchError = err;
        throw err;
      }
      if (res.status >= 400) {
        // Read the refusal's JSON (a room of the list not found, too many rooms, …) for its code and message.
        const raw: unknown = await res.json().catch(() => undefined);
        this.refusal = {
          code: isRecord(raw) && typeof raw.code === 'string' ? raw.code : undefined,
          message: isRecord(raw) && typeof raw.message === 'string' ? raw.message : undefined,
        };
        return { url: res.url, status: res.status, redirected: res.redirected, headers: res.headers, body: null };
      }
      const body = res.body;
      const reader = body?.getReader();
      return {
        url: res.url,
        status: res.status,
        redirected: res.redirected,
        headers: res.headers,
        body:
          reader === undefined
            ? null
            : {
                getReader: () => ({
                  read: async () => {
                    const chunk = await reader.read();
                    this.watchdog?.touch();
                    return chunk;
                  },
                  cancel: () => reader.cancel(),
                }),
              },
      };
    };
  }
}

export const sseTransport: TransportFactory = (options, handlers) => new SseTransport(options, handlers);
