import { sql, type Expression, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * `push_destinations`: one row per push destination (Splunk HEC, webhook), keyed by its name in
 * the push config. It holds the durable checkpoint (the last IOC version every earlier version
 * of which was delivered or skipped), delivery counters, the last run's outcome for
 * `socd push status`, and a lease so that one process at a time pushes a destination (several
 * `socd serve` processes on one PostgreSQL, or `socd push` run beside `socd serve`).
 */
export function pushMigration(dialect: StoreDialect): Migration {
  const pg = dialect === 'postgres';
  const text: Expression<unknown> | 'text' = pg ? sql`text collate "C"` : 'text';
  const bigint = pg ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('push_destinations')
        .addColumn('name', text, (c) => c.primaryKey())
        .addColumn('type', text, (c) => c.notNull())
        .addColumn('checkpoint', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('checkpoint_at', text)
        .addColumn('delivered', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('skipped', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('resent', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('retries', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('last_run_at', text)
        .addColumn('last_status', text)
        .addColumn('last_success_at', text)
        .addColumn('last_error_at', text)
        .addColumn('last_error', text)
        .addColumn('last_skip', text)
        .addColumn('lease_owner', text)
        .addColumn('lease_until', text)
        .execute();
    },
  };
}
