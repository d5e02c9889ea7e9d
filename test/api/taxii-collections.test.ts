/**
 * Every TAXII collection pages exactly its IOCs, in version order, when it is read as one index
 * walk per type merged (store/taxii-queries.ts), with and without the rendering cache, by
 * objects and by manifest; and on both engines each walk is an index walk in version order, not a sort
 * of the collection on every page (migration 0004).
 */
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCollectionPage, type TaxiiEntry } from '../../src/api/routes/taxii-objects.js';
import { parseTaxiiQuery } from '../../src/api/routes/taxii-query.js';
import { StixRenderCache } from '../../src/api/routes/taxii-render-cache.js';
import type { IocRecord } from '../../src/domain/ioc.js';
import { iocId } from '../../src/domain/ids.js';
import { TAXII_COLLECTIONS, type TaxiiCollection } from '../../src/domain/taxii-collections.js';
import type { IocType } from '../../src/domain/vocabulary.js';
import { renderStixJson, STIX_SHARED_OBJECTS, stixIdOf } from '../../src/export/stix.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { listTaxiiRows, positionsWalkQuery } from '../../src/store/taxii-queries.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { useMigratedStore } from '../support/suite-store.js';
import { candidate, ingest, valueOf } from './support/server.js';

/** Interleaved so that every multi-type collection has several types on every page. */
const TYPES: IocType[] = ['md5', 'ipv4', 'sha256', 'cve', 'sha1', 'domain', 'sha512', 'ipv6'];
const LIMIT = 7;

/** Page `collection` to the end by `next`; the entries of every page, in order. */
async function pageAll(store: Store, collection: TaxiiCollection, withJson: boolean, cache?: StixRenderCache): Promise<TaxiiEntry[]> {
  const out: TaxiiEntry[] = [];
  let next: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const q = parseTaxiiQuery({ limit: String(LIMIT), ...(next ? { next } : {}) }, collection.id, { ids: true, types: true });
    const page = await readCollectionPage(store, collection, q, { withJson, cache });
    expect(page.entries.length).toBeLessThanOrEqual(LIMIT);
    out.push(...page.entries);
    if (!page.more) return out;
    next = page.next ?? undefined;
  }
  throw new Error('did not reach the end');
}

describe.each(DATABASE_KINDS)('TAXII collections on %s', (kind) => {
  let db: TestDatabase;
  let store: Store;
  /** Every stored IOC, current version, in version order. */
  let records: IocRecord[];

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    store = await openStore(db.url);
    await store.migrate();
    await ingest(store, Array.from({ length: 80 }, (_, i) => candidate(i + 1, { type: TYPES[i % TYPES.length] })));
    // Changes move IOCs to new versions past the others: a second feed, a revocation.
    await ingest(store, [3, 4, 11, 17].map((n) => candidate(n, { type: TYPES[(n - 1) % TYPES.length], feed: 'second-feed' })));
    await store.setStatus(iocId('md5', valueOf('md5', 9)), 'revoked', new Date());
    records = (await store.listIocs({ status: 'all', limit: 1000 })).map((r) => JSON.parse(r.doc) as IocRecord);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  for (const collection of TAXII_COLLECTIONS) {
    it(`pages ${collection.alias}: its IOCs once each in version order, with and without the cache, objects and manifest`, async () => {
      const expected = records.filter((r) => collection.iocTypes.includes(r.type));
      expect(expected.length).toBeGreaterThan(LIMIT);
      const sharedIds = STIX_SHARED_OBJECTS.map((o) => o.id);
      const cache = new StixRenderCache();
      for (const entries of [
        await pageAll(store, collection, true),
        await pageAll(store, collection, true, cache),
        // Again through the now filled cache: the same objects, taken from it.
        await pageAll(store, collection, true, cache),
      ]) {
        expect(entries.map((e) => e.id)).toEqual([...sharedIds, ...expected.map((r) => stixIdOf(r.type, r.id))]);
        const iocs = entries.slice(sharedIds.length);
        expect(iocs.map((e) => e.position)).toEqual(expected.map((r) => r.version));
        expect(iocs.map((e) => e.json)).toEqual(expected.map((r) => renderStixJson(r)));
      }
      const manifest = await pageAll(store, collection, false);
      expect(manifest.slice(sharedIds.length).map((e) => [e.id, e.version, e.json])).toEqual(
        expected.map((r) => [stixIdOf(r.type, r.id), r.updated_at, null]),
      );
    });
  }

  it('walks an index in version order for every type of every collection, from any position', async () => {
    for (const type of new Set(TAXII_COLLECTIONS.flatMap((c) => c.iocTypes))) {
      const compiled = positionsWalkQuery(store.db, { types: [type], status: 'all', afterVersion: 10, limit: 1001 }).compile();
      if (kind === 'sqlite') {
        const plan = await store.db.executeQuery<{ detail: string }>({ ...compiled, sql: `explain query plan ${compiled.sql}` });
        const detail = plan.rows.map((r) => r.detail).join(' | ');
        expect(detail, type).toContain('iocs_type_version');
        expect(detail, type).not.toContain('TEMP B-TREE');
      } else {
        // 80 rows fit one page, so PostgreSQL's planner would rightly scan the table: forbid
        // that and sorting, and the plan must still be an index walk that yields version order.
        const detail = await store.db.transaction().execute(async (trx) => {
          await sql`set local enable_seqscan = off`.execute(trx);
          await sql`set local enable_sort = off`.execute(trx);
          const plan = await trx.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `explain ${compiled.sql}` });
          return plan.rows.map((r) => r['QUERY PLAN']).join(' | ');
        });
        expect(detail, type).toContain('iocs_type_version');
        expect(detail, type).not.toMatch(/\bSort\b/);
      }
    }
  });
});

describe('TAXII multi-type page reads on SQLite', () => {
  const suite = useMigratedStore('sqlite', 'all', (store) => ingest(store, Array.from({ length: 16 }, (_, i) => candidate(i + 1, { type: TYPES[i % TYPES.length] }))));

  it('take a snapshot without the write lock, while another process holds it mid-write', async () => {
    const types: IocType[] = ['md5', 'sha1', 'sha256', 'sha512'];
    const store = suite.store();
    const before = await listTaxiiRows(store.db, 'sqlite', { types, status: 'all', limit: 100 });
    expect(before.length).toBe(8);
    // Another process (here, another connection) is inside a write transaction with a change.
    const other = new BetterSqlite3(suite.url());
    other.pragma('busy_timeout = 10000');
    other.exec('begin immediate');
    other.prepare('update iocs set status = ? where type = ?').run('revoked', 'md5');
    try {
      // BEGIN IMMEDIATE would queue behind that writer for the whole busy timeout (10 s).
      const during = await Promise.race([
        listTaxiiRows(store.db, 'sqlite', { types, status: 'active', limit: 100 }),
        new Promise<'waited'>((done) => setTimeout(() => done('waited'), 2000)),
      ]);
      expect(during).not.toBe('waited');
      // The snapshot is the committed state: the uncommitted change is not seen.
      expect((during as typeof before).length).toBe(8);
    } finally {
      other.exec('rollback');
      other.close();
    }
  });
});
