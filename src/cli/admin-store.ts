/**
 * The accounts and private rooms of a server, opened from outside it by
 * `rtchat user` and `rtchat room`: the SQLite file next to the server's data
 * (`--data`, the same default as `serve`) or the server's Redis (`--redis`).
 * The server reads them on every request, so changes apply at once.
 */
import path from 'node:path';
import type { Argv } from 'yargs';
import type { IdentityStore } from '../server/stores/identity-store.js';
import { CliError, EXIT } from './exit-codes.js';
import { defaultDataDir } from './serve-args.js';

export interface AdminStoreArgs {
  data?: string | undefined;
  redis?: string | undefined;
}

export function withAdminStoreOptions<T>(y: Argv<T>) {
  return y
    .option('data', { type: 'string', describe: "the server's data directory [default: as rtchat serve]" })
    .option('redis', { type: 'string', describe: "the server's Redis URL (scale-out mode)" });
}

export async function openIdentityStore(
  args: AdminStoreArgs,
): Promise<{ identity: IdentityStore; close(): Promise<void> }> {
  if (args.redis !== undefined && args.redis !== '') {
    const { Redis } = await import('ioredis');
    const { RedisIdentity } = await import('../server/stores/redis/identity.js');
    const redis = new Redis(args.redis, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      throw new CliError(
        `cannot reach Redis at ${args.redis} (${err instanceof Error ? err.message : String(err)})`,
        EXIT.unreachable,
      );
    }
    const identity = new RedisIdentity({ redis: () => redis });
    return {
      identity,
      close: async () => {
        await redis.quit().catch(() => undefined);
      },
    };
  }
  const dir = args.data !== undefined && args.data !== '' ? path.resolve(args.data) : defaultDataDir();
  const { SqliteIdentity } = await import('../server/stores/local/sqlite-identity.js');
  const identity = new SqliteIdentity({ dir });
  try {
    await identity.open();
  } catch (err) {
    throw new CliError(
      `cannot open ${identity.file} (${err instanceof Error ? err.message : String(err)})`,
      EXIT.error,
    );
  }
  return { identity, close: () => identity.close() };
}

/**
 * Runs `fn` on the opened store, turning its ProtocolErrors (conflict, not_found, bad_request) into one-line
 * errors.
 */
export async function withIdentityStore<T>(
  args: AdminStoreArgs,
  fn: (identity: IdentityStore) => Promise<T>,
): Promise<T> {
  const { ProtocolError } = await import('../protocol/errors.js');
  const store = await openIdentityStore(args);
  try {
    return await fn(store.identity);
  } catch (err) {
    if (err instanceof ProtocolError)
      throw new CliError(err.message, err.code === 'bad_request' ? EXIT.usage : EXIT.error);
    throw err;
  } finally {
    await store.close();
  }
}
