import { beforeEach, describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { iocId } from '../../src/domain/ids.js';
import { StoreError } from '../../src/store/errors.js';
import type { IocFilter, UpsertContext } from '../../src/store/store.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { candidate } from './candidates.js';
import { useTestStore } from './test-store.js';

const ctx: UpsertContext = { now: new Date('2026-01-03T00:00:00.000Z'), ttlDays: {} };

/** Values of the listed IOCs, in list order. */
const values = (rows: Array<{ doc: string }>) => rows.map((r) => (JSON.parse(r.doc) as IocRecord).value);

describe.each(DATABASE_KINDS)('listIocs on %s', (kind) => {
  const t = useTestStore(kind);

  beforeEach(async () => {
    const s = t.store();
    await s.upsertBatch(
      [
        candidate({ type: 'ipv4', value: '198.51.100.1', confidence: 'high', industries: ['energy'], source: { category: 'government' } }),
        candidate({ type: 'ipv4', value: '198.51.100.2', confidence: 'low', industries: ['financial-services'] }),
        candidate({ type: 'domain', value: 'a.example', confidence: 'medium', industries: ['energy', 'nuclear'] }),
        candidate({ type: 'url', value: 'http://b.example/x', confidence: 'high' }),
        candidate({ type: 'sha256', value: 'a'.repeat(64), confidence: 'low', source: { category: 'news', origin: 'article' } }),
      ],
      ctx,
    );
    // A second, government source for the domain (its primary source stays community).
    await s.upsertBatch([candidate({ type: 'domain', value: 'a.example', confidence: 'low', source: { feed_name: 'gov', category: 'government' } })], ctx);
    await s.setStatus(iocId('url', 'http://b.example/x'), 'revoked', ctx.now);
  });

  const cases: Array<{ name: string; filter: IocFilter; expect: string[] }> = [
    { name: 'default: active only, in version order', filter: {}, expect: ['198.51.100.1', '198.51.100.2', 'a'.repeat(64), 'a.example'] },
    { name: 'status all', filter: { status: 'all' }, expect: ['198.51.100.1', '198.51.100.2', 'a'.repeat(64), 'a.example', 'http://b.example/x'] },
    { name: 'status revoked', filter: { status: 'revoked' }, expect: ['http://b.example/x'] },
    { name: 'types', filter: { types: ['ipv4', 'sha256'] }, expect: ['198.51.100.1', '198.51.100.2', 'a'.repeat(64)] },
    { name: 'confidence', filter: { confidence: 'low' }, expect: ['198.51.100.2', 'a'.repeat(64)] },
    { name: 'category matches any source', filter: { category: 'government' }, expect: ['198.51.100.1', 'a.example'] },
    { name: 'category news', filter: { category: 'news' }, expect: ['a'.repeat(64)] },
    { name: 'industry', filter: { industry: 'energy' }, expect: ['198.51.100.1', 'a.example'] },
    { name: 'industry matches whole slugs only', filter: { industry: 'financial-services' }, expect: ['198.51.100.2'] },
    { name: 'combined', filter: { types: ['ipv4', 'domain'], industry: 'energy', category: 'government', confidence: 'high' }, expect: ['198.51.100.1'] },
  ];
  it.each(cases)('$name', async ({ filter, expect: expected }) => {
    const rows = await t.store().listIocs({ ...filter, limit: 100 });
    expect(values(rows)).toEqual(expected);
    expect(await t.store().countIocs(filter)).toBe(expected.length);
    const versions = rows.map((r) => r.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });

  it('returns version, updated_at and the stored doc', async () => {
    const [row] = await t.store().listIocs({ limit: 1 });
    const doc = JSON.parse(row?.doc ?? '{}') as IocRecord;
    expect(row).toEqual({ version: doc.version, updated_at: doc.updated_at, doc: row?.doc });
  });

  it('pages by cursor and by offset', async () => {
    const all = await t.store().listIocs({ status: 'all', limit: 100 });
    const byCursor: number[] = [];
    let after = 0;
    for (;;) {
      const page = await t.store().listIocs({ status: 'all', afterVersion: after, limit: 2 });
      if (page.length === 0) break;
      byCursor.push(...page.map((r) => r.version));
      after = page.at(-1)?.version ?? after;
    }
    expect(byCursor).toEqual(all.map((r) => r.version));
    const second = await t.store().listIocs({ status: 'all', offset: 2, limit: 2 });
    expect(second.map((r) => r.version)).toEqual(all.slice(2, 4).map((r) => r.version));
  });

  it('filters by since on the version timestamp', async () => {
    const all = await t.store().listIocs({ status: 'all', limit: 100 });
    const third = all[2];
    if (!third) throw new Error('fixture too small');
    const since = await t.store().listIocs({ status: 'all', since: third.updated_at, limit: 100 });
    expect(since.map((r) => r.version)).toEqual(all.slice(3).map((r) => r.version));
    // Any ISO form of the same instant, and instants between stamps.
    const sameInstant = third.updated_at.replace(/\.(\d{6})Z$/, '.$1000+00:00');
    expect((await t.store().listIocs({ status: 'all', since: sameInstant, limit: 100 })).length).toBe(all.length - 3);
    expect(await t.store().countIocs({ status: 'all', since: '2000-01-01' })).toBe(all.length);
    expect(await t.store().countIocs({ status: 'all', since: '2999-01-01T00:00:00Z' })).toBe(0);
    await expect(t.store().listIocs({ since: 'last tuesday', limit: 10 })).rejects.toBeInstanceOf(StoreError);
  });

  it('walks an index for the default page', async () => {
    const q = t
      .store()
      .db.selectFrom('iocs')
      .select(['version', 'updated_at', 'doc'])
      .where('status', '=', 'active')
      .orderBy('version')
      .limit(100)
      .compile();
    const plan = kind === 'sqlite' ? `explain query plan ${q.sql}` : `explain ${q.sql}`;
    const { sql } = await import('kysely');
    const rows = await sql.raw<Record<string, unknown>>(plan.replace('?', "'active'").replace('?', '100').replace('$1', "'active'").replace('$2', '100')).execute(t.store().db);
    const text = rows.rows.map((r) => Object.values(r).join(' ')).join('\n');
    expect(text).toMatch(/iocs_status_version/);
    expect(text).not.toMatch(/TEMP B-TREE|Sort/i);
  });
});
