import { describe, expect, it } from 'vitest';
import { iocId } from '../../src/domain/ids.js';
import { rowToRecord } from '../../src/store/ioc-doc.js';
import type { Store, UpsertContext } from '../../src/store/store.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { candidate, numbered } from './candidates.js';
import { useTestStore } from './test-store.js';

const NOW = new Date('2026-01-03T00:00:00.000Z');
const ctx: UpsertContext = { now: NOW, ttlDays: { domain: 30 } };
const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

async function snapshot(store: Store) {
  const iocs = await store.db.selectFrom('iocs').selectAll().orderBy('version').execute();
  const sources = await store.db.selectFrom('ioc_sources').selectAll().orderBy('ioc_id').orderBy('feed_name').execute();
  const counter = await store.db.selectFrom('counters').select('value').where('name', '=', 'ioc_version').executeTakeFirstOrThrow();
  return { iocs, sources, counter: counter.value };
}

describe.each(DATABASE_KINDS)('upsertBatch on %s', (kind) => {
  const t = useTestStore(kind);

  it('adds new IOCs with stable ids, versions and rendered docs', async () => {
    const r = await t.store().upsertBatch([numbered(1), numbered(2, { confidence: 'high', tags: ['b', 'a'] })], ctx);
    expect(r).toEqual({ added: 2, updated: 0, unchanged: 0, allowlisted: 0 });
    const one = await t.store().findByValue('domain', 'host-2.example');
    expect(one).toMatchObject({
      id: iocId('domain', 'host-2.example'),
      type: 'domain',
      value: 'host-2.example',
      confidence: 'high',
      tags: ['a', 'b'],
      tlp: 'green',
      status: 'active',
      expires_at: '2026-02-01T00:00:00.000Z',
      version: 2,
    });
    expect(one?.updated_at).toMatch(STAMP);
    expect(await t.store().getIoc(iocId('domain', 'host-1.example'))).toMatchObject({ value: 'host-1.example', version: 1 });
    expect(await t.store().getIoc('00000000-0000-0000-0000-000000000000')).toBeNull();
    expect((await t.store().counts()).lastVersion).toBe(2);
  });

  it('keeps doc, columns and source rows in agreement', async () => {
    await t.store().upsertBatch([numbered(1, { industries: ['energy'], mitre_techniques: ['T1071'] }), numbered(1, { source: { feed_name: 'feed-b' } })], ctx);
    await t.store().upsertBatch([numbered(1, { confidence: 'high', source: { feed_name: 'feed-c', reference_url: 'https://ref/1' } })], ctx);
    const { iocs, sources } = await snapshot(t.store());
    expect(iocs).toHaveLength(1);
    const row = iocs[0];
    if (!row) throw new Error('no row');
    expect(JSON.parse(row.doc)).toEqual(rowToRecord(row, sources));
    expect(row.source_count).toBe(3);
    expect(row.source_feed).toBe('feed-c');
  });

  it('dedupes one IOC across two sources', async () => {
    await t.store().upsertBatch([candidate({ confidence: 'low' })], ctx);
    const first = await t.store().findByValue('domain', 'evil.example');
    const r = await t.store().upsertBatch(
      [candidate({ confidence: 'high', source: { feed_name: 'feed-b', first_seen: '2026-01-02T00:00:00.000Z', last_seen: '2026-01-02T10:00:00.000Z' } })],
      ctx,
    );
    expect(r).toMatchObject({ added: 0, updated: 1 });
    const merged = await t.store().findByValue('domain', 'evil.example');
    expect(merged).toMatchObject({ confidence: 'high', last_seen: '2026-01-02T10:00:00.000Z', first_seen: '2026-01-01T00:00:00.000Z', source: { feed_name: 'feed-b' } });
    expect(merged?.sources.map((s) => [s.feed_name, s.confidence, s.last_seen])).toEqual([
      ['feed-a', 'low', '2026-01-02T00:00:00.000Z'],
      ['feed-b', 'high', '2026-01-02T10:00:00.000Z'],
    ]);
    expect(merged?.version).toBeGreaterThan(first?.version ?? Infinity);
    expect((await t.store().counts()).total).toBe(1);
  });

  it('writes nothing when the same batch comes again', async () => {
    const batch = [numbered(1), numbered(2, { tags: ['x'] }), candidate({ source: { feed_name: 'feed-b' } }), candidate()];
    await t.store().upsertBatch(batch, ctx);
    const before = await snapshot(t.store());
    const r = await t.store().upsertBatch(batch, { ...ctx, now: new Date('2026-01-04T00:00:00.000Z') });
    expect(r).toEqual({ added: 0, updated: 0, unchanged: 3, allowlisted: 0 });
    expect(await snapshot(t.store())).toEqual(before);
  });

  it('gives a real change a new version with a later updated_at', async () => {
    await t.store().upsertBatch([numbered(1), numbered(2)], ctx);
    const before = await t.store().findByValue('domain', 'host-1.example');
    // The clock went backwards: stamps must still increase.
    const r = await t.store().upsertBatch([numbered(1, { tags: ['new'] })], { ...ctx, now: new Date('2020-01-01T00:00:00Z') });
    expect(r).toMatchObject({ updated: 1 });
    const after = await t.store().findByValue('domain', 'host-1.example');
    expect(after?.version).toBe(3);
    expect(after?.tags).toEqual(['new']);
    expect((after?.updated_at ?? '') > (before?.updated_at ?? '')).toBe(true);
    const stamps = (await snapshot(t.store())).iocs.map((r) => [r.version, r.updated_at] as const);
    expect(stamps.map(([v]) => v)).toEqual([2, 3]);
    expect(stamps[1]?.[1] && stamps[0]?.[1] && stamps[1][1] > stamps[0][1]).toBe(true);
  });

  it('moves last_seen in place without a new version', async () => {
    await t.store().upsertBatch([candidate()], ctx);
    const r = await t.store().upsertBatch([candidate({ source: { last_seen: '2026-01-02T18:00:00.000Z' } })], ctx);
    expect(r).toEqual({ added: 0, updated: 0, unchanged: 1, allowlisted: 0 });
    const after = await t.store().findByValue('domain', 'evil.example');
    expect(after).toMatchObject({ version: 1, last_seen: '2026-01-02T18:00:00.000Z', expires_at: '2026-02-01T18:00:00.000Z' });
    const { sources, counter } = await snapshot(t.store());
    expect(counter).toBe(1);
    expect(sources[0]).toMatchObject({ last_seen: '2026-01-02T18:00:00.000Z', occurrences: 2 });
  });

  it('expires by TTL with a new version, and re-activates when seen again', async () => {
    await t.store().upsertBatch([numbered(1), numbered(2, { source: { last_seen: '2026-01-02T12:00:00.000Z' } })], ctx);
    const later = new Date('2026-02-01T06:00:00.000Z');
    expect(await t.store().expireDue(later)).toBe(1);
    expect(await t.store().expireDue(later)).toBe(0);
    expect(await t.store().findByValue('domain', 'host-1.example')).toMatchObject({ status: 'expired', version: 3 });
    expect(await t.store().findByValue('domain', 'host-2.example')).toMatchObject({ status: 'active', version: 2 });

    const r = await t.store().upsertBatch([numbered(1, { source: { last_seen: '2026-02-01T05:00:00.000Z' } })], { ...ctx, now: later });
    expect(r.updated).toBe(1);
    expect(await t.store().findByValue('domain', 'host-1.example')).toMatchObject({ status: 'active', version: 4 });
  });

  it('stores a stale sighting as expired at once', async () => {
    await t.store().upsertBatch([candidate({ source: { first_seen: '2025-01-01T00:00:00.000Z', last_seen: '2025-01-02T00:00:00.000Z' } })], ctx);
    expect(await t.store().findByValue('domain', 'evil.example')).toMatchObject({ status: 'expired', expires_at: '2025-02-01T00:00:00.000Z' });
  });

  it('stores allowlisted IOCs as allowlisted, at write time and afterwards', async () => {
    const allowlist = (_type: string, value: string) => value.endsWith('.good');
    const r = await t.store().upsertBatch([numbered(1), candidate({ value: 'cdn.good' })], { ...ctx, allowlist });
    expect(r).toEqual({ added: 2, updated: 0, unchanged: 0, allowlisted: 1 });
    expect(await t.store().findByValue('domain', 'cdn.good')).toMatchObject({ status: 'allowlisted' });

    // Without an allowlist in the context, an allowlisted IOC is not re-activated.
    await t.store().upsertBatch([candidate({ value: 'cdn.good', tags: ['x'] })], ctx);
    expect(await t.store().findByValue('domain', 'cdn.good')).toMatchObject({ status: 'allowlisted', tags: ['x'] });

    // The allowlist grows: applyAllowlist re-checks what is stored.
    const bigger = (_type: string, value: string) => value.startsWith('host-1');
    expect(await t.store().applyAllowlist(bigger, NOW)).toBe(1);
    expect(await t.store().applyAllowlist(bigger, NOW)).toBe(0);
    expect(await t.store().findByValue('domain', 'host-1.example')).toMatchObject({ status: 'allowlisted', version: 4 });
  });

  it('keeps a revoked IOC revoked', async () => {
    await t.store().upsertBatch([candidate()], ctx);
    const id = iocId('domain', 'evil.example');
    expect(await t.store().setStatus(id, 'revoked', NOW)).toMatchObject({ status: 'revoked', version: 2 });
    expect(await t.store().setStatus(id, 'revoked', NOW)).toMatchObject({ status: 'revoked', version: 2 });
    await t.store().upsertBatch([candidate({ confidence: 'high', tags: ['again'], source: { feed_name: 'feed-b' } })], { ...ctx, allowlist: () => false });
    expect(await t.store().findByValue('domain', 'evil.example')).toMatchObject({ status: 'revoked', confidence: 'high', tags: ['again'] });
    expect(await t.store().expireDue(new Date('2030-01-01T00:00:00Z'))).toBe(0);
    expect(await t.store().setStatus('no-such-id', 'revoked', NOW)).toBeNull();
  });

  it('handles batches larger than one statement, and values that need escaping', async () => {
    const odd = ["it's", 'back\\slash', 'quote"d', 'comma,brace{}', 'uni-\u00e9\u4e2d', 'null\u0001byte'];
    const batch = Array.from({ length: 1500 }, (_, i) => numbered(i, { tags: [odd[i % odd.length] ?? 'x'], context: odd[i % odd.length] ?? null }));
    const r = await t.store().upsertBatch(batch, ctx);
    expect(r.added).toBe(1500);
    expect(await t.store().findByValue('domain', 'host-7.example')).toMatchObject({ tags: ['back\\slash'], context: 'back\\slash' });
    const again = await t.store().upsertBatch(batch, ctx);
    expect(again.unchanged).toBe(1500);
    const counts = await t.store().counts();
    expect(counts).toEqual({ total: 1500, byStatus: { active: 1500 }, byType: { domain: 1500 }, lastVersion: 1500 });
  });
});
