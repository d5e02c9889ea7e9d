import { Kysely } from 'kysely';
import { StoreError } from './errors.js';
import { KyselyStore } from './kysely-store.js';
import { isPostgresUrl, openPostgresDialect } from './postgres-pool.js';
import type { Database } from './schema.js';
import { openSqliteDialect } from './sqlite-database.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** Open for reading only (SQLite: read-only file that must exist; PostgreSQL: read-only transactions). */
  readonly?: boolean;
}

/**
 * Opens the store named by `url`: a `postgres://` or `postgresql://` URL (a pg pool), or else a
 * SQLite file path (created with its folder when missing; `:memory:` for a throwaway one).
 * Call `migrate()` before first use and `close()` at the end.
 *
 * SQLite: share ONE writable store per file in a process (its single connection queues all
 * transactions). better-sqlite3 waits for another connection's lock synchronously, so two
 * writable stores on one file in one process can block each other until the busy timeout;
 * other processes, and `readonly` stores (WAL readers never wait), are fine.
 *
 * @example
 * const store = await openStore('./data/socd.db');
 * await store.migrate();
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const readonly = opts.readonly ?? false;
  if (url.trim() === '') throw new StoreError('invalid_database_url', 'the database URL is empty: give a postgres:// URL or a SQLite file path');
  if (isPostgresUrl(url)) {
    const { dialect } = openPostgresDialect(url, readonly);
    return new KyselyStore(new Kysely<Database>({ dialect }), 'postgres');
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new StoreError('invalid_database_url', `unsupported database URL '${url.split('://')[0]}://': use postgres:// or a SQLite file path`);
  }
  const sqlite = openSqliteDialect(url, readonly);
  return new KyselyStore(new Kysely<Database>({ dialect: sqlite.dialect }), 'sqlite', sqlite.close, sqlite.syncReader);
}
