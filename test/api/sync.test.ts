/**
 * Lossless sync while ingestion writes: a poller following `next_cursor` (and another re-polling
 * `since` the last `updated_at` it saw) over `status=all` sees every change exactly once: the
 * final version of every IOC, and never the same (id, version) twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { candidate, get, ingest, newKey, startApi, type RunningApi } from './support/server.js';

interface Page {
  meta: { next_cursor: string | null; has_more: boolean };
  data: IocRecord[];
}

describe.each(DATABASE_KINDS)('cursor sync over a store being written to (%s)', (kind) => {
  let api: RunningApi;
  let key: string;

  beforeAll(async () => {
    api = await startApi(kind);
    key = (await newKey(api.deps, 'pro')).key;
    await ingest(api.store, Array.from({ length: 200 }, (_, i) => candidate(i, { type: 'domain' })));
  });
  afterAll(async () => api?.close());

  it('never misses or repeats a change', async () => {
    let writing = true;
    const writer = (async () => {
      for (let round = 0; round < 25; round++) {
        const fresh = Array.from({ length: 20 }, (_, i) => candidate(1000 + round * 20 + i, { type: 'domain' }));
        // Re-sightings with a new tag and confidence: updates that move IOCs to new versions.
        const updates = Array.from({ length: 10 }, (_, i) =>
          candidate((round * 37 + i * 13) % 200, { type: 'domain', confidence: round % 2 ? 'high' : 'low', tags: [`round-${round}`] }),
        );
        await ingest(api.store, [...fresh, ...updates]);
        await new Promise((r) => setTimeout(r, 5));
      }
      writing = false;
    })();

    async function pollByCursor(): Promise<Array<[string, number]>> {
      const seen: Array<[string, number]> = [];
      let cursor: string | null = null;
      for (;;) {
        const stillWriting = writing;
        const res = await get(api, `/api/v1/iocs?status=all&limit=25${cursor ? `&cursor=${cursor}` : ''}`, key);
        expect(res.status).toBe(200);
        const page = (await res.json()) as Page;
        for (const d of page.data) seen.push([d.id, d.version]);
        cursor = page.meta.next_cursor ?? cursor;
        if (!page.meta.has_more && !stillWriting) return seen;
      }
    }

    async function pollBySince(): Promise<Array<[string, number]>> {
      const seen: Array<[string, number]> = [];
      let since = new Date(Date.now() - 86_400_000).toISOString();
      for (;;) {
        const stillWriting = writing;
        const res = await get(api, `/api/v1/iocs?status=all&limit=25&since=${encodeURIComponent(since)}`, key);
        expect(res.status).toBe(200);
        const page = (await res.json()) as Page;
        for (const d of page.data) seen.push([d.id, d.version]);
        since = page.data[page.data.length - 1]?.updated_at ?? since;
        if (!page.meta.has_more && !stillWriting) return seen;
      }
    }

    const [byCursor, bySince] = await Promise.all([pollByCursor(), pollBySince(), writer]);
    const final = await api.store.db.selectFrom('iocs').select(['id', 'version']).execute();
    expect(final).toHaveLength(700);
    for (const seen of [byCursor, bySince]) {
      const pairs = seen.map(([id, v]) => `${id}@${v}`);
      expect(new Set(pairs).size).toBe(pairs.length); // nothing repeated
      const versions = seen.map(([, v]) => v);
      expect(versions).toEqual([...versions].sort((a, b) => a - b)); // one ascending stream
      const lastSeen = new Map(seen);
      for (const row of final) expect(lastSeen.get(row.id)).toBe(Number(row.version)); // nothing missed
    }
    // Updates really happened while polling: more changes were seen than there are IOCs.
    expect(byCursor.length).toBeGreaterThan(700);
  });
});
