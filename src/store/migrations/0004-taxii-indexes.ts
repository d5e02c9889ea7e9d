import type { Kysely, Migration } from 'kysely';

/**
 * `iocs_type_version`: the per-type TAXII collections (IPs, hashes, CVEs) page in version order
 * within a set of types. Without it both engines found a type's rows through `iocs_type_value`
 * (value order) and sorted all of them on every page, so each page cost grew with the collection.
 * With it a page is an index walk per type from the `next` position (taxii-queries.ts merges the
 * types). The same definition on both dialects: on SQLite `version` is the rowid.
 */
export function taxiiIndexesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('iocs_type_version').on('iocs').columns(['type', 'version']).execute();
    },
  };
}
