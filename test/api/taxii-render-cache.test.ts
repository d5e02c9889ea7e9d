/**
 * The rendering cache of the TAXII objects endpoints: keyed by IOC version (an immutable state),
 * bounded, and filled one page ahead of a poller; pages read through it are the same as without.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCollectionPage } from '../../src/api/routes/taxii-objects.js';
import { parseTaxiiQuery } from '../../src/api/routes/taxii-query.js';
import { StixRenderCache } from '../../src/api/routes/taxii-render-cache.js';
import { TAXII_COLLECTIONS } from '../../src/domain/taxii-collections.js';
import { iocId } from '../../src/domain/ids.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { candidate, ingest, valueOf } from './support/server.js';

const all = TAXII_COLLECTIONS[0];
if (!all) throw new Error('no collections');

describe('StixRenderCache', () => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    store = await openStore(db.url);
    await store.migrate();
    await ingest(store, Array.from({ length: 30 }, (_, i) => candidate(i + 1, { type: i % 2 ? 'domain' : 'ipv4' })));
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const query = (next?: string) => parseTaxiiQuery({ limit: '10', ...(next ? { next } : {}) }, all.id, { ids: true, types: true });

  it('renders the next page ahead, and serves pages identical to uncached ones', async () => {
    const cache = new StixRenderCache();
    const first = await readCollectionPage(store, all, query(), { withJson: true, cache });
    const firstPlain = await readCollectionPage(store, all, query(), { withJson: true });
    expect(first.entries).toEqual(firstPlain.entries);
    // 4 IOC objects on page 1 (after the 6 shared ones), then page 2 rendered ahead.
    await new Promise((r) => setTimeout(r, 50));
    expect(cache.size).toBe(4 + 10);
    const second = await readCollectionPage(store, all, query(first.next ?? ''), { withJson: true, cache });
    const secondPlain = await readCollectionPage(store, all, query(first.next ?? ''), { withJson: true });
    expect(second.entries).toEqual(secondPlain.entries);
  });

  it('never serves a stale rendering: a changed IOC is a new version', async () => {
    const cache = new StixRenderCache();
    await readCollectionPage(store, all, query(), { withJson: true, cache });
    await store.setStatus(iocId('ipv4', valueOf('ipv4', 1)), 'revoked', new Date());
    let next: string | undefined;
    const revoked: string[] = [];
    do {
      const page = await readCollectionPage(store, all, query(next), { withJson: true, cache });
      for (const e of page.entries) if (e.json?.includes('"revoked":true')) revoked.push(e.id);
      next = page.next ?? undefined;
    } while (next);
    expect(revoked).toEqual([`indicator--${iocId('ipv4', valueOf('ipv4', 1))}`]);
  });

  it('stays within its bound, dropping the oldest generation whole', () => {
    // Bound 4: generations of 2. After 1..5: {1,2} dropped when {3,4} filled, 5 starts a new one.
    const cache = new StixRenderCache(4);
    for (let v = 1; v <= 5; v++) cache.set({ position: v, dateAdded: '', id: `x--${v}`, type: 'indicator', version: '', json: '{}' });
    expect(cache.size).toBe(3);
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)).toBeUndefined();
    expect([3, 4, 5].map((v) => cache.get(v)?.id)).toEqual(['x--3', 'x--4', 'x--5']);
    for (let v = 6; v <= 1000; v++) {
      cache.set({ position: v, dateAdded: '', id: `x--${v}`, type: 'indicator', version: '', json: '{}' });
      expect(cache.size).toBeLessThanOrEqual(4);
    }
    expect(cache.get(1000)?.id).toBe('x--1000');
    expect(cache.get(999)?.id).toBe('x--999');
  });
});
