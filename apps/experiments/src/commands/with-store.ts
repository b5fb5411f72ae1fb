// Opens the store a command names, runs the command, and always closes the store. Commands that
// only read open it read-only (they never write into or beside it, and work on a store they may
// not write); only commands that write runs create a missing store.
import { openStore, type Store, type StoreReader } from '@vaelab/tracking';
import type { CliOptions } from './options.js';

export async function withReader<T>(options: CliOptions, fn: (store: StoreReader) => Promise<T>): Promise<T> {
  const store = await openStore(options.db, { readonly: true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function withWriter<T>(options: CliOptions, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(options.db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
