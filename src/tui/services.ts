/**
 * The TUI's HTTP needs besides the chat stream: direct messages, read markers
 * and search (docs/protocol.md 8.4). The App gets them as an injected
 * TuiServices, so tests pass their own and this is the one file that knows
 * the HTTP helpers of the client core.
 *
 * Until src/client/dms.ts, read-markers.ts and search.ts exist, this file
 * speaks the endpoints itself (a small JSON request, errors mapped to
 * ClientError with the server's code), and keeps markers of a server without
 * accounts in the state dir's markers.json, in the format LocalMarkers uses.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Agent, request } from 'undici';
import { isErrorCode, isRecord, type MessageEvent } from '../protocol/index.js';
import { ClientError, toClientError } from '../client/errors.js';
import { stateDir, writeFileAtomic } from '../client/state-dir.js';

/** A DM room and the other account. `head`: its newest seq, when listed. */
export interface DmInfo {
  room: string;
  peer: string;
  head?: number;
}

/** A read marker: the last seq read (0 when never) in the room's epoch. */
export interface ReadMarker {
  seq: number;
  epoch?: string;
}

export interface SearchHits {
  /** Newest first. */
  results: MessageEvent[];
  more: boolean;
}

export interface TuiServices {
  /** Opens (or finds) the DM room with account `peer`. @throws ClientError (`forbidden` without an account). */
  openDm(peer: string): Promise<DmInfo>;
  /** The user's DM rooms; [] without an account. */
  listDms(): Promise<DmInfo[]>;
  /** Stores the read marker of `room` (forward only, unless the epoch changed). */
  markRead(room: string, marker: ReadMarker): Promise<void>;
  /** The stored read marker of `room` ({seq: 0} when never set). */
  readMarker(room: string): Promise<ReadMarker>;
  /** Messages of `room` matching `query`, newest first; `limit` default 20 (max 100). */
  search(room: string, query: string, options?: { before?: number; limit?: number }): Promise<SearchHits>;
}

export interface HttpServicesOptions {
  /** The server in use now (the client may have failed over). */
  server: () => string;
  /** An account's token: markers on the server, DMs. Without one: markers in the state dir, no DMs. */
  token?: string | undefined;
  /** PEM of `--ca`. */
  ca?: string | undefined;
  /** For the state dir; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Bound on each request, ms. Default 5000. */
  timeoutMs?: number;
}

export function httpServices(o: HttpServicesOptions): TuiServices {
  const dispatcher = o.ca === undefined ? undefined : new Agent({ connect: { ca: [o.ca] } });
  const timeoutMs = o.timeoutMs ?? 5000;
  const markersFile = path.join(stateDir(o.env), 'markers.json');

  async function call(method: 'GET' | 'POST', route: string, body?: unknown): Promise<Record<string, unknown>> {
    const url = new URL(route, o.server());
    const headers: Record<string, string> = {};
    if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let text: string;
    try {
      const res = await request(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(dispatcher === undefined ? {} : { dispatcher }),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      throw toClientError(err);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (status >= 400) {
      const code =
        isRecord(parsed) && typeof parsed.code === 'string' && isErrorCode(parsed.code) ? parsed.code : 'protocol';
      const message = isRecord(parsed) && typeof parsed.message === 'string' ? parsed.message : `HTTP ${status}`;
      throw new ClientError(code, message, { status });
    }
    if (!isRecord(parsed)) throw new ClientError('protocol', `${route} answered without a JSON object`);
    return parsed;
  }

  // A token that is not an account's (a server-wide one) gets 403: markers then live in the state dir.
  let serverMarkers = o.token !== undefined;
  const notAnAccount = (err: unknown): boolean => {
    if (!(err instanceof ClientError) || err.code !== 'forbidden') return false;
    serverMarkers = false;
    return true;
  };
  const roomPath = (room: string, tail: string): string => `/rooms/${encodeURIComponent(room)}/${tail}`;
  const localKey = (room: string): string => `${o.server()}|${room}`;
  async function localMarkers(): Promise<Record<string, ReadMarker>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(markersFile, 'utf8'));
      return isRecord(parsed) ? (parsed as Record<string, ReadMarker>) : {};
    } catch {
      return {};
    }
  }
  const toMarker = (v: unknown): ReadMarker => {
    if (!isRecord(v) || typeof v.seq !== 'number') return { seq: 0 };
    return typeof v.epoch === 'string' ? { seq: v.seq, epoch: v.epoch } : { seq: v.seq };
  };
  const toDm = (v: unknown): DmInfo | undefined =>
    isRecord(v) && typeof v.room === 'string' && typeof v.peer === 'string'
      ? { room: v.room, peer: v.peer, ...(typeof v.head === 'number' ? { head: v.head } : {}) }
      : undefined;

  return {
    async openDm(peer) {
      if (o.token === undefined) throw new ClientError('forbidden', 'direct messages need an account');
      const dm = toDm(await call('POST', '/dms', { to: peer }));
      if (dm === undefined) throw new ClientError('protocol', 'POST /dms answered without a room');
      return dm;
    },
    async listDms() {
      if (o.token === undefined) return [];
      const body = await call('GET', '/dms');
      return Array.isArray(body.dms) ? body.dms.map(toDm).filter((d): d is DmInfo => d !== undefined) : [];
    },
    async markRead(room, marker) {
      if (serverMarkers) {
        try {
          await call('POST', roomPath(room, 'read'), marker);
          return;
        } catch (err) {
          if (!notAnAccount(err)) throw err;
        }
      }
      const all = await localMarkers();
      const old = toMarker(all[localKey(room)]);
      if (old.seq >= marker.seq && old.epoch === marker.epoch) return;
      all[localKey(room)] = marker;
      await writeFileAtomic(markersFile, `${JSON.stringify(all)}\n`);
    },
    async readMarker(room) {
      if (serverMarkers) {
        try {
          return toMarker(await call('GET', roomPath(room, 'read')));
        } catch (err) {
          if (!notAnAccount(err)) throw err;
        }
      }
      return toMarker((await localMarkers())[localKey(room)]);
    },
    async search(room, query, options = {}) {
      const q = new URLSearchParams({ q: query });
      if (options.before !== undefined) q.set('before', String(options.before));
      if (options.limit !== undefined) q.set('limit', String(options.limit));
      const body = await call('GET', `${roomPath(room, 'search')}?${q.toString()}`);
      const results = Array.isArray(body.results) ? (body.results as MessageEvent[]) : [];
      return { results, more: body.more === true };
    },
  };
}

/**
 * Services without a server behind them: markers kept in memory, no DMs, no
 * search. What the App uses when given none (tests of other features).
 */
export function memoryServices(): TuiServices {
  const markers = new Map<string, ReadMarker>();
  return {
    openDm: () => Promise.reject(new ClientError('forbidden', 'direct messages need an account')),
    listDms: () => Promise.resolve([]),
    markRead: (room, marker) => {
      markers.set(room, marker);
      return Promise.resolve();
    },
    readMarker: (room) => Promise.resolve(markers.get(room) ?? { seq: 0 }),
    search: () => Promise.reject(new ClientError('not_found', 'search is not available')),
  };
}
