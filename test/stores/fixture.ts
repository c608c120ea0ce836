/** What a store's test file gives the store contract, and what the contract's parts share. */
import { randomBytes } from 'node:crypto';
import type { Store } from '../../src/server/stores/store.js';

/** Every member of a small room. */
export const ALL = { offset: 0, limit: 1000 };

export interface StoreFixture {
  store: Store;
  /** Closes nothing itself: opens a new store on the same data (persistent stores only). */
  reopen?: () => Promise<Store>;
  /** Closes whatever is still open and removes the data. */
  cleanup: () => Promise<void>;
}

export interface MakeStoreOptions {
  /** Messages kept per room; the store's default when absent. */
  retain?: number;
}

export interface ContractOptions {
  /** The store emits one `messages` event per room for appends made in the same tick. Default true. */
  batchesPerTick?: boolean;
  /** The store survives a close and reopen (its fixture gives `reopen`). Default false. */
  persistent?: boolean;
}

/** A fresh session key. */
export function session(): string {
  return randomBytes(12).toString('base64url');
}

/** What each part of the contract registers its tests with. */
export interface ContractSuite {
  /** A fresh store, cleaned up after the test. */
  make: (options?: MakeStoreOptions) => Promise<StoreFixture>;
  /** `it` for persistent stores only: a skipped test would prove nothing, so others do not register it. */
  itPersistent: (title: string, fn: () => Promise<void>) => void;
}
