import { afterEach, beforeEach } from 'vitest';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

/** A fresh, migrated store per test on `kind`; `extra()` opens more stores on the same database. */
export function useTestStore(kind: 'sqlite' | 'postgres'): { store: () => Store; url: () => string; extra: () => Promise<Store> } {
  let database: TestDatabase | undefined;
  let current: Store | undefined;
  const others: Store[] = [];
  beforeEach(async () => {
    database = await createTestDatabase(kind);
    current = await openStore(database.url);
    await current.migrate();
  });
  afterEach(async () => {
    for (const s of others.splice(0)) await s.close();
    await current?.close();
    await database?.drop();
    current = undefined;
    database = undefined;
  });
  return {
    store: () => {
      if (!current) throw new Error('no store outside a test');
      return current;
    },
    url: () => {
      if (!database) throw new Error('no database outside a test');
      return database.url;
    },
    extra: async () => {
      if (!database) throw new Error('no database outside a test');
      const s = await openStore(database.url);
      others.push(s);
      return s;
    },
  };
}
