import { Migrator, sql, type Kysely } from 'kysely';
import type { StoreDialect } from './dialect.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

/** Session advisory lock key that serializes `migrate()` across processes on one PostgreSQL. */
const MIGRATION_LOCK_KEY = 0x50cd0001;

/**
 * Brings the schema to the latest migration. Idempotent. On PostgreSQL one session holds an
 * advisory lock for the whole run, so processes starting together migrate one after the other
 * (the second finds nothing to do) instead of racing on CREATE TABLE. On SQLite (where Kysely
 * neither locks nor wraps migrations in a transaction) the whole run is one `BEGIN IMMEDIATE`
 * transaction, which serializes processes the same way and leaves nothing half-created.
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: StoreDialect): Promise<void> {
  const provider = migrationProvider(dialect);
  if (dialect === 'sqlite') {
    await db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        await run(new Migrator({ db: conn, provider, disableTransactions: true }));
        await sql`commit`.execute(conn);
      } catch (error) {
        await sql`rollback`.execute(conn);
        throw error;
      }
    });
    return;
  }
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(conn);
    try {
      await run(new Migrator({ db: conn, provider }));
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(conn);
    }
  });
}

async function run(migrator: Migrator): Promise<void> {
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
