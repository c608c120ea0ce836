/**
 * Read markers kept on this machine (docs/protocol.md 8.4, "Read markers"),
 * for servers without accounts: the state directory's `markers.json`,
 * `{"<server origin>|<room>": {"seq":N,"epoch":"E"}}`, written atomically.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { mergeReadMarker, type ReadMarker } from '../protocol/read-marker.js';
import { isRecord } from '../protocol/validate.js';
import { stateDir, writeFileAtomic } from './state-dir.js';

/** A marker with its room. */
export interface RoomMarker extends ReadMarker {
  room: string;
}

/** A server URL as the key's first part: its origin, so `http://h:1/` and `http://h:1` are one server. */
function serverKey(server: string): string {
  try {
    return new URL(server).origin;
  } catch {
    return server;
  }
}

/**
 * Read markers kept on this machine, for servers without accounts. Key a
 * server by the first `--server` the user gave (a failover list shares one
 * store, so one name is enough). Markers follow the same rule as the
 * server's (mergeReadMarker): never back within an epoch.
 *
 * A missing or unreadable file reads as no markers (state, not
 * configuration: losing it only makes old messages count as unread).
 */
export class LocalMarkers {
  /** The markers file; default `<stateDir()>/markers.json`. */
  readonly file: string;
  private markers = new Map<string, ReadMarker>();
  /** Keys set since the last load or save: only these are merged into the file. */
  private readonly dirty = new Set<string>();

  constructor(options: { file?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.file = options.file ?? path.join(stateDir(options.env), 'markers.json');
  }

  static key(server: string, room: string): string {
    return `${serverKey(server)}|${room}`;
  }

  /** Reads the file (replacing what is in memory). */
  async load(): Promise<void> {
    this.markers = await this.readFile();
    this.dirty.clear();
  }

  get(server: string, room: string): ReadMarker | undefined {
    const m = this.markers.get(LocalMarkers.key(server, room));
    return m === undefined ? undefined : { ...m };
  }

  /** Moves the marker (never back within an epoch); returns the one now held. Call `save` to keep it. */
  set(server: string, room: string, marker: ReadMarker): ReadMarker {
    const key = LocalMarkers.key(server, room);
    const next = mergeReadMarker(this.markers.get(key), marker);
    this.markers.set(key, next);
    this.dirty.add(key);
    return { ...next };
  }

  /** The markers of one server, sorted by room. */
  list(server: string): RoomMarker[] {
    const prefix = `${serverKey(server)}|`;
    const out: RoomMarker[] = [];
    for (const [key, m] of this.markers) {
      if (key.startsWith(prefix)) out.push({ room: key.slice(prefix.length), seq: m.seq, epoch: m.epoch });
    }
    return out.sort((a, b) => (a.room < b.room ? -1 : a.room > b.room ? 1 : 0));
  }

  /**
   * Writes the file atomically (temp + rename). What another client wrote
   * since our load is read again first and merged by the marker rule, so two
   * clients on one machine never move each other's markers back.
   */
  async save(): Promise<void> {
    const onDisk = await this.readFile();
    for (const key of this.dirty) {
      const mine = this.markers.get(key);
      if (mine !== undefined) onDisk.set(key, mergeReadMarker(onDisk.get(key), mine));
    }
    const out: Record<string, ReadMarker> = {};
    for (const [key, m] of [...onDisk].sort(([a], [b]) => (a < b ? -1 : 1))) out[key] = m;
    await writeFileAtomic(this.file, JSON.stringify(out, null, 1) + '\n');
    this.markers = onDisk;
    this.dirty.clear();
  }

  private async readFile(): Promise<Map<string, ReadMarker>> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      return new Map();
    }
    const out = new Map<string, ReadMarker>();
    if (!isRecord(parsed)) return out;
    for (const [key, v] of Object.entries(parsed)) {
      if (isRecord(v) && Number.isSafeInteger(v.seq) && typeof v.epoch === 'string') {
        out.set(key, { seq: v.seq as number, epoch: v.epoch });
      }
    }
    return out;
  }
}
