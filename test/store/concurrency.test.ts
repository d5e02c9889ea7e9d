import { describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { openStore } from '../../src/store/open.js';
import type { Store, UpsertContext, UpsertResult } from '../../src/store/store.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { numbered } from './candidates.js';
import { useTestStore } from './test-store.js';

/**
 * DESIGN.md §5: a poller following the version cursor while ingestion writes never misses a
 * change and never sees one twice. Writers and the reader run at the same time; afterwards
 * every IOC's final version must have been seen exactly once.
 */

const ctx: UpsertContext = { now: new Date('2026-01-03T00:00:00.000Z'), ttlDays: {} };
const BATCHES = 50;
const NEW_PER_BATCH = 150;
const UPDATES_PER_BATCH = 50;

/** Batch `b` of writer `w`: new IOCs plus real changes (a new tag) to earlier and shared ones. */
function batchOf(w: string, b: number) {
  const fresh = Array.from({ length: NEW_PER_BATCH }, (_, i) => numbered(b * NEW_PER_BATCH + i, { value: `${w}-${b * NEW_PER_BATCH + i}.example` }));
  const updates = Array.from({ length: UPDATES_PER_BATCH }, (_, i) => {
    // Half revisit this writer's earlier IOCs, half a set every writer touches.
    const value = i % 2 === 0 && b > 0 ? `${w}-${(b * 7919 + i * 104729) % (b * NEW_PER_BATCH)}.example` : `shared-${i}.example`;
    return numbered(0, { value, tags: [`${w}-batch-${b}`] });
  });
  return [...fresh, ...updates];
}

async function write(store: Store, w: string): Promise<UpsertResult[]> {
  const results: UpsertResult[] = [];
  for (let b = 0; b < BATCHES; b++) {
    results.push(await store.upsertBatch(batchOf(w, b), ctx));
    // Let the reader in between batches, as a real ingest does while it parses.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return results;
}

interface ReaderLog {
  seen: Map<number, string>; // version → id
  pages: number;
  pagesWhileWriting: number;
}

/** Follows the cursor until the writers are done and a page comes back empty. */
async function follow(reader: Store, writing: { done: boolean }): Promise<ReaderLog> {
  const log: ReaderLog = { seen: new Map(), pages: 0, pagesWhileWriting: 0 };
  let cursor = 0;
  for (;;) {
    const wasDone = writing.done;
    const page = await reader.listIocs({ status: 'all', afterVersion: cursor, limit: 50 });
    log.pages++;
    if (!wasDone) log.pagesWhileWriting++;
    for (const row of page) {
      if (row.version <= cursor) throw new Error(`version ${row.version} after cursor ${cursor}`);
      if (log.seen.has(row.version)) throw new Error(`version ${row.version} seen twice`);
      const doc = JSON.parse(row.doc) as IocRecord;
      if (doc.version !== row.version) throw new Error(`doc of version ${row.version} says ${doc.version}`);
      log.seen.set(row.version, doc.id);
      cursor = row.version;
    }
    if (page.length === 0) {
      if (wasDone) return log;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}

async function expectReaderSawFinalState(store: Store, log: ReaderLog, results: UpsertResult[]): Promise<void> {
  const finals = await store.db.selectFrom('iocs').select(['id', 'version']).execute();
  const missed = finals.filter((f) => log.seen.get(f.version) !== f.id);
  expect(missed).toEqual([]);
  // Versions are gap-free: one per added or updated IOC, no more.
  const handedOut = results.reduce((n, r) => n + r.added + r.updated, 0);
  expect((await store.counts()).lastVersion).toBe(handedOut);
  expect(Math.max(...log.seen.keys())).toBe(handedOut);
  expect(log.pagesWhileWriting).toBeGreaterThan(0);
}

describe.each(DATABASE_KINDS)('concurrent writer and cursor reader on %s', (kind) => {
  const t = useTestStore(kind);

  it('the reader sees every final version exactly once', async () => {
    // PostgreSQL: the writer is another pool (as another process would be). SQLite: the reader
    // is a second, read-only connection on the same file (WAL readers never wait for writers).
    const writer = kind === 'postgres' ? await t.extra() : t.store();
    const reader = kind === 'postgres' ? t.store() : await openStore(t.url(), { readonly: true });
    try {
      const writing = { done: false };
      const [results, log] = await Promise.all([
        write(writer, 'w').finally(() => {
          writing.done = true;
        }),
        follow(reader, writing),
      ]);
      expect(results.some((r) => r.updated > 0)).toBe(true);
      await expectReaderSawFinalState(t.store(), log, results);
    } finally {
      if (kind === 'sqlite') await reader.close();
    }
  });

  it('two interleaving writers keep versions in commit order', async () => {
    // PostgreSQL: two pools queue on the advisory lock. SQLite: one process shares one
    // connection per file (better-sqlite3 waits for a lock synchronously), so both writers go
    // through it and its transaction queue.
    const [a, b] = kind === 'postgres' ? [await t.extra(), await t.extra()] : [t.store(), t.store()];
    const writing = { done: false };
    const writers = Promise.all([write(a, 'a'), write(b, 'b')]).finally(() => {
      writing.done = true;
    });
    const [[ra, rb], log] = await Promise.all([writers, follow(t.store(), writing)]);
    expect(ra.some((r) => r.updated > 0) && rb.some((r) => r.updated > 0)).toBe(true);
    // No lost update: an IOC both writers changed in every batch carries every batch's tag.
    const shared = await t.store().findByValue('domain', 'shared-1.example');
    const everyTag = ['a', 'b'].flatMap((w) => Array.from({ length: BATCHES }, (_, i) => `${w}-batch-${i}`)).sort();
    expect(shared?.tags).toEqual(everyTag);
    await expectReaderSawFinalState(t.store(), log, [...ra, ...rb]);
  });
});
