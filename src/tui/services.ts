/**
 * The TUI's HTTP needs besides the chat stream: direct messages, read markers
 * and search (docs/protocol.md 8.4). The App gets them as an injected
 * TuiServices, so tests pass their own; this is the one file that knows the
 * client core's HTTP helpers (src/client/dms.ts, read-markers.ts, search.ts).
 */
import { openDm, listDms } from '../client/dms.js';
import { ClientError } from '../client/errors.js';
import { getReadMarker, getUnread, LocalMarkers, markRead } from '../client/read-markers.js';
import { searchRoom } from '../client/search.js';
import type { MessageEvent } from '../protocol/index.js';

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
  /**
   * The stored markers of `rooms` in one go (`GET /unread` with an account,
   * else a fresh read of the state dir's file): how a marker moved by another
   * client of the user is learnt while this one runs. Rooms without one are left out.
   */
  readMarkers(rooms: readonly string[]): Promise<Map<string, ReadMarker>>;
  /** Messages of `room` matching `query`, newest first; `limit` default 20 (max 100). */
  search(room: string, query: string, options?: { before?: number; limit?: number }): Promise<SearchHits>;
}

export interface HttpServicesOptions {
  /** The server in use now (the client may have failed over). */
  server: () => string;
  /**
   * The server that names local markers in the state dir: the first of
   * `--server`, as `rtchat unread` names them, whichever one is in use.
   */
  markerServer: string;
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
  const call = () => ({
    server: o.server(),
    token: o.token,
    ...(o.ca === undefined ? {} : { ca: [o.ca] }),
    timeoutMs: o.timeoutMs ?? 5000,
  });
  // A token that is not an account's (a server-wide one) gets 403: markers then live in the state dir.
  let serverMarkers = o.token !== undefined;
  const notAnAccount = (err: unknown): boolean => {
    if (!(err instanceof ClientError) || err.code !== 'forbidden') return false;
    serverMarkers = false;
    return true;
  };
  const local = new LocalMarkers(o.env === undefined ? {} : { env: o.env });
  let loaded: Promise<void> | undefined;
  const localReady = (): Promise<void> => (loaded ??= local.load());
  const asMarker = (m: { seq: number; epoch: string } | undefined): ReadMarker =>
    m === undefined ? { seq: 0 } : m.epoch === '' ? { seq: m.seq } : { seq: m.seq, epoch: m.epoch };

  return {
    async openDm(peer) {
      if (o.token === undefined) throw new ClientError('forbidden', 'direct messages need an account');
      const dm = await openDm({ ...call(), to: peer });
      return { room: dm.room, peer: dm.peer };
    },
    async listDms() {
      if (o.token === undefined) return [];
      return (await listDms(call())).map((d) => ({ room: d.room, peer: d.peer, head: d.head }));
    },
    async markRead(room, marker) {
      if (serverMarkers) {
        try {
          await markRead({
            ...call(),
            room,
            seq: marker.seq,
            ...(marker.epoch === undefined ? {} : { epoch: marker.epoch }),
          });
          return;
        } catch (err) {
          if (!notAnAccount(err)) throw err;
        }
      }
      await localReady();
      local.set(o.markerServer, room, { seq: marker.seq, epoch: marker.epoch ?? '' });
      await local.save();
    },
    async readMarker(room) {
      if (serverMarkers) {
        try {
          return asMarker(await getReadMarker({ ...call(), room }));
        } catch (err) {
          if (!notAnAccount(err)) throw err;
        }
      }
      await localReady();
      return asMarker(local.get(o.markerServer, room));
    },
    async readMarkers(rooms) {
      const out = new Map<string, ReadMarker>();
      const wanted = new Set(rooms);
      if (serverMarkers) {
        try {
          for (const u of await getUnread(call())) {
            if (wanted.has(u.room)) out.set(u.room, asMarker({ seq: u.read, epoch: u.epoch }));
          }
          return out;
        } catch (err) {
          if (!notAnAccount(err)) throw err;
        }
      }
      // A fresh copy: the shared one may be between a set and its save (load would drop that set).
      const fresh = new LocalMarkers(o.env === undefined ? {} : { env: o.env });
      await fresh.load();
      for (const room of wanted) {
        const m = fresh.get(o.markerServer, room);
        if (m !== undefined) out.set(room, asMarker(m));
      }
      return out;
    },
    async search(room, query, options = {}) {
      const page = await searchRoom({ ...call(), room, q: query, before: options.before, limit: options.limit });
      return { results: page.results, more: page.more };
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
    readMarkers: (rooms) =>
      Promise.resolve(new Map(rooms.flatMap((r) => (markers.has(r) ? [[r, markers.get(r) as ReadMarker]] : [])))),
    search: () => Promise.reject(new ClientError('not_found', 'search is not available')),
  };
}
