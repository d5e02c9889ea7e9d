import type { Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { initialMigration } from './0001-initial.js';
import { dashboardMigration } from './0002-dashboard.js';
import { pushMigration } from './0003-push.js';
import { taxiiIndexesMigration } from './0004-taxii-indexes.js';

/**
 * All migrations, as code (not files read at run time), so they run the same from tsx and from
 * the compiled dist/. Names sort in the order they apply; never rename or edit a released one.
 */
export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001_initial': initialMigration(dialect),
    '0002_dashboard': dashboardMigration(dialect),
    '0003_push': pushMigration(dialect),
    '0004_taxii_indexes': taxiiIndexesMigration(),
  };
  return { getMigrations: async () => migrations };
}
