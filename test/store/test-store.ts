import { useMigratedStore, type MigratedStore } from '../support/suite-store.js';

/** A fresh, migrated store per test on `kind`; `extra()` opens more stores on the same database. */
export function useTestStore(kind: 'sqlite' | 'postgres'): MigratedStore {
  return useMigratedStore(kind, 'each');
}
