import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export interface MigratedStore {
  store: () => Store;
  url: () => string;
  /** Another store on the same database (closed with it). */
  extra: () => Promise<Store>;
}

/**
 * A fresh, migrated store on `kind`, filled by `seed`: one per test (`scope: 'each'`) or one for
 * the whole describe block (`'all'`). Accessors throw outside the scope.
 */
export function useMigratedStore(kind: 'sqlite' | 'postgres', scope: 'each' | 'all', seed?: (store: Store) => Promise<void>): MigratedStore {
  let database: TestDatabase | undefined;
  let current: Store | undefined;
  const others: Store[] = [];
  (scope === 'each' ? beforeEach : beforeAll)(async () => {
    database = await createTestDatabase(kind);
    current = await openStore(database.url);
    await current.migrate();
    await seed?.(current);
  });
  (scope === 'each' ? afterEach : afterAll)(async () => {
    for (const s of others.splice(0)) await s.close();
    await current?.close();
    await database?.drop();
    current = undefined;
    database = undefined;
  });
  const db = (): TestDatabase => {
    if (!database) throw new Error(`no database outside the ${scope === 'each' ? 'test' : 'suite'}`);
    return database;
  };
  return {
    store: () => {
      if (!current) throw new Error(`no store outside the ${scope === 'each' ? 'test' : 'suite'}`);
      return current;
    },
    url: () => db().url,
    extra: async () => {
      const s = await openStore(db().url);
      others.push(s);
      return s;
    },
  };
}
