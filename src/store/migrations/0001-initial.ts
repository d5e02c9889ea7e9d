import { sql, type ColumnDefinitionBuilder, type Expression, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * Every table of schema.ts (the first schema version). One definition for both dialects; the
 * column types differ where the engines do:
 * - PostgreSQL: TEXT COLLATE "C" (timestamps and values compare bytewise, as on SQLite, whatever
 *   the server's locale), BIGINT for versions and counters.
 * - PostgreSQL: iocs and ioc_sources leave 15% free per page (fillfactor 85), so rewriting a
 *   row in place (a new last_seen, which no index covers) is a HOT update with no index writes.
 * - SQLite: `version` is the INTEGER PRIMARY KEY (the rowid), so the table is clustered in
 *   version order: a page by version reads consecutive rows, and one index fewer is written per
 *   IOC. The `id` primary key of PostgreSQL becomes a unique index.
 */
export function initialMigration(dialect: StoreDialect): Migration {
  const pg = dialect === 'postgres';
  const text: Expression<unknown> | 'text' = pg ? sql`text collate "C"` : 'text';
  const bigint = pg ? 'bigint' : 'integer';
  const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      let iocs = db.schema.createTable('iocs');
      iocs = pg
        ? iocs.addColumn('id', text, (c) => c.primaryKey())
        : iocs.addColumn('id', text, notNull);
      iocs = iocs
        .addColumn('type', text, notNull)
        .addColumn('value', text, notNull)
        .addColumn('status', text, notNull)
        .addColumn('confidence', text, notNull)
        .addColumn('first_seen', text, notNull)
        .addColumn('last_seen', text, notNull)
        .addColumn('threat_type', text)
        .addColumn('malware', text)
        .addColumn('tlp', text, notNull)
        .addColumn('context', text)
        .addColumn('tags', text, notNull)
        .addColumn('mitre_techniques', text, notNull)
        .addColumn('industries', text, notNull)
        .addColumn('source_feed', text, notNull)
        .addColumn('source_category', text, notNull)
        .addColumn('source_origin', text, notNull)
        .addColumn('source_reference_url', text)
        .addColumn('source_article_id', text)
        .addColumn('source_article_title', text)
        .addColumn('source_article_url', text)
        .addColumn('source_count', 'integer', notNull)
        .addColumn('expires_at', text)
        .addColumn('updated_at', text, notNull);
      iocs = pg
        ? iocs.addColumn('version', 'bigint', notNull)
        : iocs.addColumn('version', 'integer', (c) => c.primaryKey());
      iocs = iocs.addColumn('doc', text, notNull);
      await (pg ? iocs.modifyEnd(sql`with (fillfactor = 85)`) : iocs).execute();

      if (pg) await db.schema.createIndex('iocs_version').unique().on('iocs').column('version').execute();
      else await db.schema.createIndex('iocs_id').unique().on('iocs').column('id').execute();
      await db.schema.createIndex('iocs_type_value').unique().on('iocs').columns(['type', 'value']).execute();
      // The default list (status = 'active' ORDER BY version) walks this index.
      await db.schema.createIndex('iocs_status_version').on('iocs').columns(['status', 'version']).execute();
      await db.schema.createIndex('iocs_updated_at').on('iocs').column('updated_at').execute();
      // No index on expires_at: it moves on every sighting (an index write per re-ingested IOC),
      // while expireDue runs rarely and walks active rows by version once.

      await db.schema
        .createTable('ioc_sources')
        .addColumn('ioc_id', text, notNull)
        .addColumn('feed_name', text, notNull)
        .addColumn('category', text, notNull)
        .addColumn('origin', text, notNull)
        .addColumn('reference_url', text)
        .addColumn('article_id', text)
        .addColumn('article_title', text)
        .addColumn('article_url', text)
        .addColumn('first_seen', text, notNull)
        .addColumn('last_seen', text, notNull)
        .addColumn('occurrences', bigint, notNull)
        .addColumn('confidence', text, notNull)
        .addColumn('context', text)
        // No foreign key to iocs: the store writes both in one transaction, and the check
        // would cost an index probe per source row on the ingest path.
        .addPrimaryKeyConstraint('ioc_sources_pk', ['ioc_id', 'feed_name'])
        .$call((t) => (pg ? t.modifyEnd(sql`with (fillfactor = 85)`) : t))
        .execute();
      await db.schema.createIndex('ioc_sources_reference_url').on('ioc_sources').column('reference_url').execute();

      await db.schema
        .createTable('counters')
        .addColumn('name', text, (c) => c.primaryKey())
        .addColumn('value', bigint, notNull)
        .execute();
      await sql`insert into counters (name, value) values ('ioc_version', 0)`.execute(db);

      await db.schema
        .createTable('feeds')
        .addColumn('name', text, (c) => c.primaryKey())
        .addColumn('last_run_at', text)
        .addColumn('last_success_at', text)
        .addColumn('last_status', text)
        .addColumn('last_error', text)
        .addColumn('added', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('updated', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('unchanged', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('rejected', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('etag', text)
        .addColumn('last_modified', text)
        .addColumn('next_run_at', text)
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('email', text, (c) => c.notNull().unique())
        .addColumn('password_hash', text, notNull)
        .addColumn('role', text, notNull)
        .addColumn('plan', text, notNull)
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', text, notNull)
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', text, notNull)
        .addColumn('key_hash', text, (c) => c.notNull().unique())
        .addColumn('key_prefix', text, notNull)
        .addColumn('plan', text, notNull)
        .addColumn('scopes', text, notNull)
        .addColumn('created_at', text, notNull)
        .addColumn('last_used_at', text)
        .addColumn('expires_at', text)
        .addColumn('revoked_at', text)
        .addColumn('revoked_reason', text)
        .execute();
      await db.schema.createIndex('api_keys_user_id').on('api_keys').column('user_id').execute();

      await db.schema
        .createTable('usage_counters')
        .addColumn('key_id', text, notNull)
        .addColumn('window', text, notNull)
        .addColumn('window_start', text, notNull)
        .addColumn('count', bigint, (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('usage_counters_pk', ['key_id', 'window', 'window_start'])
        .execute();

      let log = db.schema.createTable('request_log');
      log = pg
        ? log.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        : log.addColumn('id', 'integer', (c) => c.primaryKey());
      await log
        .addColumn('key_id', text, notNull)
        .addColumn('ts', text, notNull)
        .addColumn('method', text, notNull)
        .addColumn('path', text, notNull)
        .addColumn('status', 'integer', notNull)
        .addColumn('latency_ms', pg ? 'double precision' : 'real', notNull)
        .execute();
      await db.schema.createIndex('request_log_key_ts').on('request_log').columns(['key_id', 'ts']).execute();
    },
  };
}
