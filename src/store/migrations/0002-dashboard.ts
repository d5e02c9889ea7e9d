import { sql, type ColumnDefinitionBuilder, type Expression, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * The dashboard's tables (types in sessions-repository.ts and audit-repository.ts):
 * - `sessions`: signed-in browsers. The primary key is the SHA-256 of the cookie's token, so a
 *   copy of the database holds no usable session.
 * - `login_throttle`: failed sign-ins per e-mail and per client address, for the slow-down.
 * - `audit_log`: who did what to which user, key or feed, and when.
 * - `iocs_overview`: an index holding every column the dashboard's overview counts, so those
 *   counts read the index (about 60 bytes an IOC) instead of the table with its documents
 *   (about 1.8 KB an IOC); on SQLite it also serves filtered explorer totals (the rowid, i.e.
 *   `version`, is in every index entry).
 * Text columns compare bytewise on PostgreSQL (COLLATE "C"), as in 0001.
 */
export function dashboardMigration(dialect: StoreDialect): Migration {
  const pg = dialect === 'postgres';
  const text: Expression<unknown> | 'text' = pg ? sql`text collate "C"` : 'text';
  const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('sessions')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', text, notNull)
        .addColumn('last_seen_at', text, notNull)
        .addColumn('expires_at', text, notNull)
        .addColumn('ip', text)
        .addColumn('user_agent', text)
        .execute();
      await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
      await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();

      await db.schema
        .createTable('login_throttle')
        .addColumn('key', text, (c) => c.primaryKey())
        .addColumn('failures', 'integer', notNull)
        .addColumn('window_start', text, notNull)
        .addColumn('blocked_until', text)
        .execute();

      await db.schema
        .createIndex('iocs_overview')
        .on('iocs')
        .columns(['status', 'type', 'confidence', 'source_category', 'first_seen'])
        .execute();

      let audit = db.schema.createTable('audit_log');
      audit = pg
        ? audit.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        : audit.addColumn('id', 'integer', (c) => c.primaryKey());
      await audit
        .addColumn('at', text, notNull)
        .addColumn('actor_id', text)
        .addColumn('actor_email', text)
        .addColumn('action', text, notNull)
        .addColumn('target_type', text)
        .addColumn('target_id', text)
        .addColumn('details', text, notNull)
        .addColumn('ip', text)
        .execute();
    },
  };
}
