/**
 * The scale-out store: several rtchat nodes share rooms through one Redis.
 * Logs are Redis Streams, seqs and epochs are assigned by one Lua script per
 * room per tick, fan-out between nodes goes through one pub/sub reader per
 * node, and presence entries expire when their node stops refreshing them.
 * See docs/scale-out.md.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { LIMITS, ProtocolError, SEARCH_LIMITS, type MessageEvent } from '../../../protocol/index.js';
import { newEpoch } from '../epoch.js';
import { AppendBatcher } from './append-batcher.js';
import { RedisBus } from './bus.js';
import { redisConnections } from './connections.js';
import { errorMessage, quit, redactUrl, toStoreError, unavailable } from './errors.js';
import { keySpace, type KeySpace } from './keys.js';
import { rotateLostEpochs } from './loss-check.js';
import { LuaScript } from './lua-script.js';
import { asArray, asInt, asString, parseStreamEntries } from './parse.js';
import { RedisIdentity } from './identity.js';
import { PresenceKeeper } from './presence.js';
import { ENSURE_LUA } from './scripts.js';
import { checkSearchScan, scanSearch } from './search-scan.js';
import { checkRetain } from '../local/retention.js';
import type {
  AppendInput,
  AppendResult,
  PresenceEntry,
  PresencePage,
  PresenceSnapshot,
  RoomState,
  SearchQuery,
  Store,
  StoreListener,
} from '../store.js';
import { StoreEmitter } from '../store-emitter.js';

const ENSURE = new LuaScript(ENSURE_LUA);

export interface RedisStoreOptions {
  /** `redis://[:password@]host:port/db`. */
  url: string;
  /** Messages kept per room (exact stream trim). Default 100000. */
  retain?: number;
  /** Messages one search reads at most (`rtchat serve --search-scan`), see search-scan.ts. Default 10000. */
  searchScan?: number;
  /** Key prefix, so several deployments can share one Redis. Default `rtchat:`. */
  prefix?: string;
  /** A presence entry not refreshed for this long, in ms, is dropped by any node. Default 15000. */
  presenceTtlMs?: number;
  /** How often this node refreshes its entries and sweeps expired ones, in ms. Default 5000. */
  presenceRefreshMs?: number;
  /** A command without an answer for this long, in ms, fails (→ 503). Default 5000. */
  commandTimeoutMs?: number;
  /** Reconnect backoff bounds, ms. Default { minMs: 100, maxMs: 2000 }. */
  backoff?: { minMs?: number; maxMs?: number };
  /** Where connection trouble and bus errors are logged. Default: nowhere. */
  logger?: Logger;
}

export class RedisStore implements Store {
  private readonly opts: Required<Omit<RedisStoreOptions, 'logger' | 'backoff'>> & {
    backoff: { minMs: number; maxMs: number };
  };
  private readonly logger: Logger | undefined;
  private readonly keys: KeySpace;
  private readonly nodeId = randomBytes(6).toString('hex');
  private readonly emitter: StoreEmitter;
  /** Accounts and private rooms, shared by every node. */
  readonly identity: RedisIdentity;
  private cmd: Redis | undefined;
  private sub: Redis | undefined;
  private bus: RedisBus | undefined;
  private presenceKeeper: PresenceKeeper | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private batcher: AppendBatcher | undefined;
  /** Last known state per room: the fallback while Redis is away. */
  private readonly stateCache = new Map<string, RoomState>();
  private closing = false;
  private closed = false;
  private wasDown = false;
  /** True while checking for lost data after Redis came back: no writes meanwhile. */
  private verifying = false;

  constructor(options: RedisStoreOptions) {
    this.opts = {
      url: options.url,
      retain: options.retain ?? LIMITS.retain,
      searchScan: checkSearchScan(options.searchScan ?? SEARCH_LIMITS.scan),
      prefix: options.prefix ?? 'rtchat:',
      presenceTtlMs: options.presenceTtlMs ?? 15_000,
      presenceRefreshMs: options.presenceRefreshMs ?? 5_000,
      commandTimeoutMs: options.commandTimeoutMs ?? 5_000,
      backoff: { minMs: options.backoff?.minMs ?? 100, maxMs: options.backoff?.maxMs ?? 2_000 },
    };
    checkRetain(this.opts.retain);
    this.logger = options.logger;
    this.emitter = new StoreEmitter((err) => this.logger?.error({ err }, 'store listener threw'));
    this.keys = keySpace(this.opts.prefix);
    this.identity = new RedisIdentity({ redis: () => this.command(), prefix: this.opts.prefix });
  }

  get writable(): boolean {
    return !this.closed && !this.verifying && this.cmd?.status === 'ready';
  }

  async open(): Promise<void> {
    const { cmd, sub } = redisConnections({
      url: this.opts.url,
      nodeId: this.nodeId,
      commandTimeoutMs: this.opts.commandTimeoutMs,
      backoff: this.opts.backoff,
      logger: this.logger,
    });
    let lastError: Error | undefined;
    cmd.on('error', (err: Error) => {
      lastError = err;
      this.logger?.debug({ err }, 'redis command connection error');
    });
    cmd.on('close', () => {
      if (this.closed || this.wasDown) return;
      this.wasDown = true;
      this.logger?.warn('redis unreachable: sends answer 503 until it returns');
    });
    cmd.on('ready', () => {
      if (!this.wasDown) return;
      this.wasDown = false;
      this.verifying = true;
      rotateLostEpochs({ redis: cmd, keys: this.keys, known: this.stateCache.values() })
        .then(
          (rooms) => {
            if (rooms.length > 0)
              this.logger?.warn({ rooms }, 'redis came back without messages acked before: new epochs');
            for (const room of rooms) this.stateCache.delete(room);
          },
          (err: unknown) => this.logger?.warn({ err }, 'checking for lost data failed'),
        )
        .finally(() => {
          this.verifying = false;
          this.logger?.warn('redis is back');
          this.bus?.resync();
          this.refreshPresence();
        });
    });
    this.cmd = cmd;
    this.sub = sub;
    this.batcher = new AppendBatcher({
      redis: () => this.command(),
      keys: this.keys,
      retain: this.opts.retain,
      // Only cached: tracking the bus feed from here would swallow the batch now on the bus.
      onState: (state) => this.stateCache.set(state.room, state),
    });
    this.presenceKeeper = new PresenceKeeper({
      redis: () => this.command(),
      keys: this.keys,
      ttlMs: this.opts.presenceTtlMs,
    });
    this.bus = new RedisBus({
      subscriber: sub,
      channel: this.keys.channel,
      read: (room, after, limit) => this.read(room, after, limit),
      emit: (event) => this.emitter.emit(event),
      onError: (err, context) => this.logger?.warn({ err, context }, 'redis bus'),
    });
    try {
      await Promise.all([cmd.connect(), sub.connect()]);
      await this.bus.start();
    } catch (err) {
      cmd.disconnect();
      sub.disconnect();
      throw new ProtocolError(
        'unavailable',
        `cannot reach Redis at ${redactUrl(this.opts.url)}: ${errorMessage(lastError ?? err)}`,
      );
    }
    this.refreshTimer = setInterval(() => this.refreshPresence(), this.opts.presenceRefreshMs);
    this.refreshTimer.unref();
  }

  subscribe(listener: StoreListener): () => void {
    return this.emitter.subscribe(listener);
  }

  async ensureRoom(room: string): Promise<RoomState> {
    const k = this.keys.room(room);
    const reply = await this.call(() => ENSURE.run(this.command(), [k.meta, this.keys.rooms], [room, newEpoch()]));
    const [epoch, head, tail] = asArray(reply, 'ensure');
    return this.remember({
      room,
      epoch: asString(epoch, 'epoch'),
      head: asInt(head, 'head'),
      tail: asInt(tail, 'tail'),
    });
  }

  async roomState(room: string): Promise<RoomState | undefined> {
    const state = await this.fetchState(room);
    return state === undefined ? undefined : this.remember(state);
  }

  async listRooms(): Promise<RoomState[]> {
    const rooms = (await this.call(() => this.command().smembers(this.keys.rooms))).sort();
    // Not remembered: listing rooms must not make this node follow them all.
    const states = await Promise.all(rooms.map((room) => this.fetchState(room)));
    return states.filter((s): s is RoomState => s !== undefined);
  }

  /** The room's state from Redis, or, while Redis is away, the last one this node saw. */
  private async fetchState(room: string): Promise<RoomState | undefined> {
    let reply: (string | null)[];
    try {
      reply = await this.call(() => this.command().hmget(this.keys.room(room).meta, 'epoch', 'head', 'tail'));
    } catch (err) {
      // Reads may go on from what this node last saw; writes may not.
      const cached = this.stateCache.get(room);
      if (cached !== undefined) return cached;
      throw err;
    }
    const [epoch, head, tail] = reply;
    if (epoch === null || epoch === undefined) return undefined;
    const state = { room, epoch, head: asInt(head ?? 0, 'head'), tail: asInt(tail ?? 1, 'tail') };
    this.stateCache.set(room, state);
    return state;
  }

  append(input: AppendInput): Promise<AppendResult> {
    if (this.closing) return Promise.reject(new ProtocolError('shutting_down', 'store is closed'));
    if (!this.writable) return Promise.reject(unavailable('Redis is unreachable'));
    if (this.batcher === undefined) return Promise.reject(unavailable('store is not open'));
    return this.batcher.append(input);
  }

  async read(room: string, after: number, limit: number): Promise<MessageEvent[]> {
    if (limit <= 0) return [];
    const log = this.keys.room(room).log;
    const reply = await this.call(() => this.command().xrange(log, `${after + 1}-0`, '+', 'COUNT', limit));
    return parseStreamEntries(room, reply);
  }

  /** A bounded scan of the stream (search-scan.ts): at most `searchScan` messages below `before`. */
  search(room: string, query: SearchQuery) {
    const scan = { room, log: this.keys.room(room).log, query, scanMax: this.opts.searchScan };
    return this.call(() => scanSearch({ redis: this.command(), ...scan }));
  }

  async presenceUpsert(room: string, entry: PresenceEntry): Promise<void> {
    await this.call(() => this.presenceKeeperOrThrow().upsert(room, entry));
  }

  async presenceRemove(room: string, key: string): Promise<void> {
    await this.call(() => this.presenceKeeperOrThrow().remove(room, key));
  }

  async presence(room: string, page: PresencePage): Promise<PresenceSnapshot> {
    return this.call(() => this.presenceKeeperOrThrow().read(room, page));
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.batcher?.drain();
    this.closed = true;
    clearInterval(this.refreshTimer);
    this.bus?.close();
    await Promise.all([quit(this.cmd), quit(this.sub)]);
    this.emitter.clear();
  }

  private command(): Redis {
    if (this.cmd === undefined || this.closed) throw unavailable('store is not open');
    return this.cmd;
  }

  private presenceKeeperOrThrow(): PresenceKeeper {
    if (this.presenceKeeper === undefined) throw unavailable('store is not open');
    return this.presenceKeeper;
  }

  /** Runs a Redis call, turning connection trouble into `unavailable` (503). */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toStoreError(err);
    }
  }

  private remember(state: RoomState): RoomState {
    this.stateCache.set(state.room, state);
    this.bus?.track(state.room, state.epoch, state.head);
    return state;
  }

  private refreshPresence(): void {
    if (!this.writable) return;
    this.presenceKeeper?.refresh().catch((err: unknown) => this.logger?.debug({ err }, 'presence refresh failed'));
  }
}
