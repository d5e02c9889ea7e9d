import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { SyncReader } from './store.js';

/**
 * SQLite through better-sqlite3 and Kysely's SqliteDialect, tuned for one writer and many
 * readers: WAL, synchronous=NORMAL, a busy timeout for other processes, foreign keys on, a
 * memoized `prepare` and `BEGIN IMMEDIATE` transactions.
 */

const STATEMENT_CACHE_SIZE = 256;
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Memoizes `prepare(sql)` in an LRU map: Kysely prepares every query it runs, and preparing
 * costs more than running a small statement (DESIGN.md §3).
 */
export function withStatementCache(db: BetterSqlite3.Database, capacity = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) {
        // Re-insert so the Map's iteration order is least-recently-used first.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > capacity) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return stmt;
    },
  };
}

/**
 * Kysely's driver with `BEGIN IMMEDIATE`: the write lock is taken when the transaction starts,
 * so two processes on one file queue on the busy timeout instead of failing with SQLITE_BUSY
 * when a reading transaction tries to become a writing one.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    config: ConstructorParameters<typeof SqliteDriver>[0],
    private readonly use: ConnectionUse,
  ) {
    super(config);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    this.use.held = true;
    return connection;
  }

  override async releaseConnection(): Promise<void> {
    this.use.held = false;
    await super.releaseConnection();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** Whether Kysely holds the one connection (a query, a stream or a transaction in progress). */
interface ConnectionUse {
  held: boolean;
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;
  readonly #use: ConnectionUse;

  constructor(database: SqliteDatabase, use: ConnectionUse) {
    super({ database });
    this.#database = database;
    this.#use = use;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database }, this.#use);
  }
}

/**
 * Opens (creating when writable) the SQLite file at `path`: its Kysely dialect, and `close`,
 * which closes the file even when Kysely never ran a query (Kysely only closes what it opened).
 */
export function openSqliteDialect(path: string, readonly: boolean): { dialect: SqliteDialect; syncReader: SyncReader; close: () => void } {
  const memory = path === ':memory:';
  if (!memory && !readonly) mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new BetterSqlite3(path, { readonly, fileMustExist: readonly });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!readonly && !memory) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // A 32 MB page cache (ingest touches index pages at random) that keeps a 1M-IOC ingest
  // under its 300 MB RSS budget; temp b-trees in memory.
  db.pragma('cache_size = -32768');
  db.pragma('temp_store = MEMORY');
  const statements = withStatementCache(db);
  const use: ConnectionUse = { held: false };
  return {
    dialect: new ImmediateSqliteDialect(statements, use),
    syncReader: syncReaderOf(db, statements, use),
    close: () => {
      if (db.open) db.close();
    },
  };
}

/**
 * Synchronous reads on the one connection, when Kysely is not using it: outside any transaction,
 * a statement run now sees exactly what a queued async read would, minus two promise hops and
 * the driver's mutex (the hot paths of auth and lookup).
 */
function syncReaderOf(db: BetterSqlite3.Database, statements: SqliteDatabase, use: ConnectionUse): SyncReader {
  // data_version moves when another connection commits; total_changes when this one writes.
  const stamp = db.prepare('select (select data_version from pragma_data_version()) as d, total_changes() as t').raw();
  const free = (): boolean => db.open && !use.held && !db.inTransaction;
  return {
    all<R>(sql: string, params: readonly unknown[]): R[] | undefined {
      if (!free()) return undefined;
      return statements.prepare(sql).all(params) as R[];
    },
    changeStamp(): string | undefined {
      if (!free()) return undefined;
      const [d, t] = stamp.get() as [number, number];
      return `${d}:${t}`;
    },
  };
}
