import { describe, expect, it } from 'vitest';
import type { IocCandidate, IocRecord } from '../../src/domain/ioc.js';
import type { IocStatus } from '../../src/domain/vocabulary.js';
import { decideStatus, defaultTlp, mergeIoc, primarySource, type MergeContext, type MergeKind } from '../../src/store/merge.js';
import { candidate } from './candidates.js';

const ID = '00000000-0000-5000-8000-000000000000';
const ctx: MergeContext = { nowIso: '2026-01-03T00:00:00.000Z', ttlDays: { domain: 30 }, allowlisted: undefined };

/** The stored record after merging `cs` into nothing (what the store would hold). */
function stored(cs: IocCandidate[], c: MergeContext = ctx, version = 7): IocRecord {
  const { state } = mergeIoc(ID, null, cs, c);
  return { ...state, version, updated_at: '2026-01-03T00:00:00.000000Z' };
}

describe('mergeIoc: a new IOC', () => {
  it('takes everything from its candidates', () => {
    const r = mergeIoc(ID, null, [candidate({ confidence: 'high', tags: ['b', 'a', 'b'], threat_type: 'c2', source: { reference_url: 'https://x/1' } })], ctx);
    expect(r.kind).toBe('added');
    expect(r.state).toMatchObject({
      id: ID,
      type: 'domain',
      value: 'evil.example',
      confidence: 'high',
      first_seen: '2026-01-01T00:00:00.000Z',
      last_seen: '2026-01-02T00:00:00.000Z',
      source: { feed_name: 'feed-a', category: 'community', origin: 'feed', reference_url: 'https://x/1' },
      tags: ['a', 'b'],
      threat_type: 'c2',
      tlp: 'green',
      expires_at: '2026-02-01T00:00:00.000Z',
      status: 'active',
    });
    expect(r.sourceWrites).toEqual([{ source: r.state.sources[0], occurrences: 1 }]);
  });

  it('merges several sightings in one batch', () => {
    const r = mergeIoc(
      ID,
      null,
      [
        candidate({ confidence: 'low', tags: ['x'], source: { feed_name: 'b', first_seen: '2026-01-01T05:00:00.000Z', last_seen: '2026-01-01T06:00:00.000Z' } }),
        candidate({ confidence: 'high', tags: ['a'], source: { feed_name: 'a', first_seen: '2025-12-30T00:00:00.000Z', last_seen: '2026-01-01T00:00:00.000Z' } }),
        candidate({ confidence: 'low', source: { feed_name: 'b', first_seen: '2026-01-01T07:00:00.000Z', last_seen: '2026-01-02T00:00:00.000Z' } }),
      ],
      ctx,
    );
    expect(r.state.sources.map((s) => [s.feed_name, s.first_seen, s.last_seen])).toEqual([
      ['a', '2025-12-30T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
      ['b', '2026-01-01T05:00:00.000Z', '2026-01-02T00:00:00.000Z'],
    ]);
    expect(r.state.first_seen).toBe('2025-12-30T00:00:00.000Z');
    expect(r.state.last_seen).toBe('2026-01-02T00:00:00.000Z');
    expect(r.state.confidence).toBe('high');
    expect(r.state.source.feed_name).toBe('a');
    expect(r.state.tags).toEqual(['a', 'x']);
    expect(r.sourceWrites.map((w) => [w.source.feed_name, w.occurrences])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('normalizes sighting times and never lets first_seen pass last_seen', () => {
    const r = mergeIoc(ID, null, [candidate({ source: { first_seen: '2026-01-05', last_seen: '2026-01-02T01:02:03+01:00' } })], ctx);
    expect(r.state.sources[0]).toMatchObject({ first_seen: '2026-01-02T00:02:03.000Z', last_seen: '2026-01-02T00:02:03.000Z' });
  });

  it('folds the candidate confidence into its source', () => {
    const r = mergeIoc(ID, null, [candidate({ confidence: 'high', source: { confidence: 'low' } })], ctx);
    expect(r.state.sources[0]?.confidence).toBe('high');
    expect(r.state.confidence).toBe('high');
  });
});

describe('mergeIoc: into a stored IOC', () => {
  const base = stored([candidate({ confidence: 'medium', tags: ['t1'], threat_type: 'phishing' })]);

  const cases: Array<{ name: string; with: IocCandidate[]; kind: MergeKind; expect: Partial<IocRecord> }> = [
    { name: 'the same sighting again → unchanged', with: [candidate({ confidence: 'medium', tags: ['t1'], threat_type: 'phishing' })], kind: 'unchanged', expect: {} },
    { name: 'an older sighting of the same feed → unchanged', with: [candidate({ source: { first_seen: '2026-01-01T00:00:00.000Z', last_seen: '2026-01-01T12:00:00.000Z' } })], kind: 'unchanged', expect: {} },
    {
      name: 'a later sighting → touched (last_seen and expires_at move in place)',
      with: [candidate({ source: { last_seen: '2026-01-02T12:00:00.000Z' } })],
      kind: 'touched',
      expect: { last_seen: '2026-01-02T12:00:00.000Z', expires_at: '2026-02-01T12:00:00.000Z', status: 'active' },
    },
    { name: 'a new tag → updated', with: [candidate({ tags: ['t2'] })], kind: 'updated', expect: { tags: ['t1', 't2'] } },
    {
      name: 'a second source → updated, confidence max',
      with: [candidate({ confidence: 'high', source: { feed_name: 'feed-b', last_seen: '2026-01-02T06:00:00.000Z' } })],
      kind: 'updated',
      expect: { confidence: 'high', source: expect.objectContaining({ feed_name: 'feed-b' }) as IocRecord['source'], last_seen: '2026-01-02T06:00:00.000Z' },
    },
    { name: 'a lower-confidence source keeps the threat type', with: [candidate({ confidence: 'low', threat_type: 'c2', source: { feed_name: 'feed-b' } })], kind: 'updated', expect: { threat_type: 'phishing', confidence: 'medium' } },
    { name: 'a higher-confidence source replaces the threat type', with: [candidate({ confidence: 'high', threat_type: 'c2', source: { feed_name: 'feed-b' } })], kind: 'updated', expect: { threat_type: 'c2' } },
    { name: 'a null threat type never erases one', with: [candidate({ confidence: 'high', threat_type: null })], kind: 'updated', expect: { threat_type: 'phishing', confidence: 'high' } },
    { name: 'a stated TLP wins', with: [candidate({ tlp: 'red' })], kind: 'updated', expect: { tlp: 'red' } },
    { name: 'no stated TLP keeps the stored one', with: [candidate({ confidence: 'high' })], kind: 'updated', expect: { tlp: 'amber', confidence: 'high' } },
    { name: 'an industry → updated', with: [candidate({ industries: ['energy'] })], kind: 'updated', expect: { industries: ['energy'] } },
  ];
  it.each(cases)('$name', ({ with: cs, kind, expect: fields }) => {
    const r = mergeIoc(ID, base, cs, ctx);
    expect(r.kind).toBe(kind);
    expect(r.state).toMatchObject(fields);
    if (kind === 'unchanged') expect(r.sourceWrites).toEqual([]);
  });

  it('skips last_seen advances below the resolution, writes larger ones and real changes', () => {
    const hour = 3_600_000;
    const at = (last_seen: string, o = {}) => [candidate({ ...o, source: { last_seen } })];
    const fine = { ...ctx, lastSeenResolutionMs: hour };
    const small = mergeIoc(ID, base, at('2026-01-02T00:59:59.999Z'), fine);
    expect(small.kind).toBe('unchanged');
    expect(small.state).toEqual(base);
    expect(small.sourceWrites).toEqual([]);
    expect(mergeIoc(ID, base, at('2026-01-02T01:00:00.000Z'), fine).kind).toBe('touched');
    expect(mergeIoc(ID, base, at('2026-01-02T00:30:00.000Z', { tags: ['new'] }), fine).kind).toBe('updated');
    expect(mergeIoc(ID, base, at('2026-01-02T00:30:00.000Z'), ctx).kind).toBe('touched');
  });

  it('counts a later sighting as one more occurrence, an equal one as none', () => {
    expect(mergeIoc(ID, base, [candidate({ source: { last_seen: '2026-01-02T12:00:00.000Z' } })], ctx).sourceWrites.map((w) => w.occurrences)).toEqual([1]);
    expect(mergeIoc(ID, base, [candidate({ context: 'x' })], ctx).sourceWrites).toEqual([]);
  });

  it('is idempotent: merging the result again with the same input is unchanged', () => {
    const input = [candidate({ confidence: 'high', tags: ['z'], threat_type: 'c2', tlp: 'amber', source: { feed_name: 'feed-b' } })];
    const once = mergeIoc(ID, base, input, ctx);
    const again = mergeIoc(ID, { ...once.state, version: 9, updated_at: 'x' }, input, ctx);
    expect(again.kind).toBe('unchanged');
  });
});

describe('status', () => {
  const cases: Array<{ previous: IocStatus | null; expires: string | null; allowlisted: boolean | undefined; status: IocStatus }> = [
    { previous: null, expires: null, allowlisted: undefined, status: 'active' },
    { previous: null, expires: '2026-01-03T00:00:00.000Z', allowlisted: undefined, status: 'expired' },
    { previous: null, expires: '2026-01-03T00:00:00.001Z', allowlisted: undefined, status: 'active' },
    { previous: null, expires: null, allowlisted: true, status: 'allowlisted' },
    { previous: 'active', expires: '2025-01-01T00:00:00.000Z', allowlisted: true, status: 'allowlisted' },
    { previous: 'allowlisted', expires: null, allowlisted: undefined, status: 'allowlisted' },
    { previous: 'allowlisted', expires: null, allowlisted: false, status: 'active' },
    { previous: 'expired', expires: '2026-02-01T00:00:00.000Z', allowlisted: undefined, status: 'active' },
    { previous: 'revoked', expires: null, allowlisted: false, status: 'revoked' },
    { previous: 'revoked', expires: null, allowlisted: true, status: 'revoked' },
  ];
  it.each(cases)('$previous, expires $expires, allowlisted $allowlisted → $status', ({ previous, expires, allowlisted, status }) => {
    expect(decideStatus(previous, expires, { ...ctx, allowlisted })).toBe(status);
  });

  it('expires by TTL and stays active without one', () => {
    const old = [candidate({ source: { first_seen: '2025-10-01T00:00:00.000Z', last_seen: '2025-11-01T00:00:00.000Z' } })];
    expect(mergeIoc(ID, null, old, ctx).state).toMatchObject({ status: 'expired', expires_at: '2025-12-01T00:00:00.000Z' });
    expect(mergeIoc(ID, null, old, { ...ctx, ttlDays: {} }).state).toMatchObject({ status: 'active', expires_at: null });
  });

  it('re-activates an expired IOC seen again', () => {
    const expired = stored([candidate({ source: { last_seen: '2025-11-01T00:00:00.000Z', first_seen: '2025-11-01T00:00:00.000Z' } })]);
    expect(expired.status).toBe('expired');
    const r = mergeIoc(ID, expired, [candidate()], ctx);
    expect(r.kind).toBe('updated');
    expect(r.state.status).toBe('active');
  });
});

describe('defaults', () => {
  it.each([
    ['high', 'green'],
    ['medium', 'amber'],
    ['low', 'clear'],
  ] as const)('TLP for %s confidence is %s', (confidence, tlp) => {
    expect(defaultTlp(confidence)).toBe(tlp);
  });

  it('picks the primary source by confidence, then recency, then name', () => {
    const s = (feed_name: string, confidence: 'high' | 'low', last_seen: string) => candidate({ confidence, source: { feed_name, last_seen } }).source;
    expect(primarySource([s('a', 'low', '2026-01-05T00:00:00.000Z'), s('b', 'high', '2026-01-01T00:00:00.000Z')]).feed_name).toBe('b');
    expect(primarySource([s('a', 'high', '2026-01-01T00:00:00.000Z'), s('b', 'high', '2026-01-02T00:00:00.000Z')]).feed_name).toBe('b');
    expect(primarySource([s('b', 'high', '2026-01-02T00:00:00.000Z'), s('a', 'high', '2026-01-02T00:00:00.000Z')]).feed_name).toBe('a');
  });
});
