import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { useTestStore } from './test-store.js';

const CHILD = fileURLToPath(new URL('./migrate-child.ts', import.meta.url));
const run = promisify(execFile);

const TABLES = ['api_keys', 'counters', 'feeds', 'ioc_sources', 'iocs', 'request_log', 'usage_counters', 'users'];

describe.each(DATABASE_KINDS)('migrate on %s', (kind) => {
  const t = useTestStore(kind);

  it('creates every table and seeds the version counter', async () => {
    const tables = (await t.store().db.introspection.getTables()).map((x) => x.name);
    expect(tables).toEqual(expect.arrayContaining(TABLES));
    expect(await t.store().db.selectFrom('counters').selectAll().execute()).toEqual([{ name: 'ioc_version', value: 0 }]);
  });

  it('is a no-op the second time', async () => {
    const before = await t.store().db.selectFrom('kysely_migration' as never).selectAll().execute();
    await t.store().migrate();
    await t.store().migrate();
    const after = await t.store().db.selectFrom('kysely_migration' as never).selectAll().execute();
    expect(after).toEqual(before);
    expect(await t.store().db.selectFrom('counters').select('value').execute()).toEqual([{ value: 0 }]);
  });

  it('is safe when several processes migrate at once', async () => {
    // Back to an empty database (children before parents), then three processes race to
    // create the schema.
    const db = t.store().db;
    const created = (await db.introspection.getTables({ withInternalKyselyTables: true })).map((x) => x.name);
    for (let left = created; left.length > 0; ) {
      const failed: string[] = [];
      for (const name of left) await sql`drop table ${sql.table(name)}`.execute(db).catch(() => failed.push(name));
      if (failed.length === left.length) throw new Error(`cannot drop ${failed.join(', ')}`);
      left = failed;
    }
    expect(await db.introspection.getTables({ withInternalKyselyTables: true })).toEqual([]);
    await Promise.all([1, 2, 3].map(() => run(process.execPath, ['--import', 'tsx', CHILD, t.url()])));
    const tables = (await t.store().db.introspection.getTables()).map((x) => x.name).sort();
    expect(tables).toEqual(created.filter((n) => !n.startsWith('kysely_')).sort());
    expect(tables).toEqual(expect.arrayContaining(TABLES));
    expect(await t.store().db.selectFrom('counters').select('value').execute()).toEqual([{ value: 0 }]);
  });

  it('reads BIGINT columns and counts as numbers', async () => {
    await sql`update counters set value = 9007199254740000`.execute(t.store().db);
    const row = await t.store().db.selectFrom('counters').select('value').executeTakeFirstOrThrow();
    expect(row.value).toBe(9007199254740000);
    const n = await t.store().db.selectFrom('counters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(n.n).toBe(1);
  });
});
