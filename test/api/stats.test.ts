import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedHealth, type StatsBody } from '../../src/api/stats-view.js';
import type { FeedHealthRow } from '../../src/store/search-queries.js';
import { feedsRepository } from '../../src/store/feeds-repository.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { errorOf, ioc, ROOMY_PLANS } from './search-fixtures.js';
import { get, newKey, startApi, type RunningApi } from './support/server.js';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T12:00:00.000Z');
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();

describe('feedHealth', () => {
  const base: FeedHealthRow = {
    name: 'f',
    last_run_at: ago(60_000),
    last_success_at: ago(60_000),
    last_status: 'ok',
    last_error: null,
    added: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    next_run_at: null,
  };
  const cases: Array<[string, Partial<FeedHealthRow>, string]> = [
    ['a feed that never ran', { last_run_at: null, last_success_at: null, last_status: null }, 'never_run'],
    ['a successful run', {}, 'healthy'],
    ['not modified', { last_status: 'not_modified' }, 'healthy'],
    ['a failure after a success 2 h ago', { last_status: 'error', last_success_at: ago(2 * 3_600_000) }, 'degraded'],
    ['a failure with no success in 24 h', { last_status: 'error', last_success_at: ago(2 * DAY) }, 'error'],
    ['a failure and never a success', { last_status: 'error', last_success_at: null }, 'error'],
    ['a run 2 h overdue', { next_run_at: ago(2 * 3_600_000) }, 'degraded'],
    ['a run due in the future', { next_run_at: new Date(NOW.getTime() + 60_000).toISOString() }, 'healthy'],
  ];
  for (const [name, patch, health] of cases) it(`${name} → ${health}`, () => expect(feedHealth({ ...base, ...patch }, NOW)).toBe(health));
});

describe.each(DATABASE_KINDS)('GET /api/v1/iocs/stats (%s)', (kind) => {
  let api: RunningApi;
  let free: string;
  let pro: string;

  beforeAll(async () => {
    api = await startApi(kind, ROOMY_PLANS);
    free = (await newKey(api.deps, 'free')).key;
    pro = (await newKey(api.deps, 'pro')).key;
    const now = new Date();
    const recent = new Date(now.getTime() - 3_600_000).toISOString();
    const lastWeek = new Date(now.getTime() - 3 * DAY).toISOString();
    const lastMonth = new Date(now.getTime() - 30 * DAY).toISOString();
    await api.store.upsertBatch(
      [
        ioc('ipv4', '45.137.21.9', { feed: 'feodo', category: 'community', seen: recent, techniques: ['T1071', 'T1071.001'] }),
        ioc('ipv4', '45.137.21.10', { feed: 'feodo', category: 'community', seen: lastWeek, techniques: ['T1071'] }),
        ioc('domain', 'a.evil-example.net', { feed: 'urlhaus', category: 'threat-intel', seen: lastMonth, techniques: ['T1105'] }),
        ioc('cve', 'CVE-2024-3400', { feed: 'kev', category: 'government', seen: recent }),
        ioc('cve', 'CVE-2023-4966', { feed: 'kev', category: 'government', seen: lastWeek }),
        ioc('domain', 'allowed.evil-example.net', { feed: 'urlhaus', category: 'threat-intel', seen: recent }),
      ],
      { now, ttlDays: {}, allowlist: (_t, v) => v === 'allowed.evil-example.net' },
    );
    // CVE-2023-4966 is reported by a second source: it ranks first among CVEs.
    await api.store.upsertBatch([ioc('cve', 'CVE-2023-4966', { feed: 'news', category: 'news', seen: lastWeek })], { now, ttlDays: {} });
    const feeds = feedsRepository(api.store.db);
    await feeds.recordFeedRun('feodo', { last_run_at: now.toISOString(), last_success_at: now.toISOString(), last_status: 'ok', added: 2 });
    await feeds.recordFeedRun('urlhaus', { last_run_at: now.toISOString(), last_success_at: null, last_status: 'error', last_error: 'HTTP 503' });
  });
  afterAll(async () => api?.close());

  it('aggregates totals, trends, feed health, techniques and CVEs', async () => {
    const res = await get(api, '/api/v1/iocs/stats', pro);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as StatsBody;
    const d = body.data;
    expect(body.meta).toMatchObject({ feed_version: '1.0', source: 'SOC Defenders' });
    expect(d.totals).toMatchObject({ iocs: 6, active: 5 });
    expect(d.totals.by_type).toMatchObject({ ipv4: 2, domain: 1, cve: 2, url: 0, 'mitre-attack': 0 });
    expect(d.totals.by_status).toEqual({ active: 5, allowlisted: 1 });
    expect(d.totals.by_category).toMatchObject({ community: 2, 'threat-intel': 1, government: 2, news: 0 });
    expect(d.totals.by_source).toEqual({ feodo: 2, kev: 2, news: 1, urlhaus: 1 });
    expect(d.trends.last_24h).toMatchObject({ new: 3, seen: 3 });
    expect(d.trends.last_7d).toMatchObject({ new: 5, seen: 5 });
    expect(d.trends.last_24h.updated).toBe(6);
    expect(d.feed_health.summary).toEqual({ healthy: 1, degraded: 0, error: 1, never_run: 0 });
    expect(d.feed_health.feeds.map((f) => [f.name, f.health, f.last_error])).toEqual([
      ['feodo', 'healthy', null],
      ['urlhaus', 'error', 'HTTP 503'],
    ]);
    expect(d.top_techniques).toEqual([
      { id: 'T1071', name: 'Application Layer Protocol', count: 2 },
      { id: 'T1071.001', name: 'Application Layer Protocol: Web Protocols', count: 1 },
      { id: 'T1105', name: 'Ingress Tool Transfer', count: 1 },
    ]);
    expect(d.top_cves.map((c) => [c.cve, c.source_count])).toEqual([
      ['CVE-2023-4966', 2],
      ['CVE-2024-3400', 1],
    ]);
    expect(d.last_updated).toBeTruthy();
    // The hand-written page's shape beside meta and data.
    expect((body as unknown as { totals: unknown }).totals).toEqual({
      by_type: d.totals.by_type,
      by_category: d.totals.by_category,
      by_source: d.totals.by_source,
    });
  });

  it('serves from a 60 s cache, saying how old it is', async () => {
    const first = await get(api, '/api/v1/iocs/stats', pro);
    const updatedAt = first.headers.get('x-cache-updated-at');
    expect(updatedAt).toBeTruthy();
    expect(Number(first.headers.get('x-cache-age-seconds'))).toBeGreaterThanOrEqual(0);
    expect(Number(first.headers.get('x-cache-age-seconds'))).toBeLessThanOrEqual(60);
    await api.store.upsertBatch([ioc('ipv4', '45.137.21.11')], { now: new Date(), ttlDays: {} });
    const second = await get(api, '/api/v1/iocs/stats', pro);
    expect(second.headers.get('x-cache-updated-at')).toBe(updatedAt);
    expect(((await second.json()) as StatsBody).data.totals.iocs).toBe(((await first.json()) as StatsBody).data.totals.iocs);
    expect(second.headers.get('x-ratelimit-limit')).toBeTruthy();
  });

  it('is a pro feature: 403 naming the plan for a free key', async () => {
    const res = await get(api, '/api/v1/iocs/stats', free);
    expect(res.status).toBe(403);
    const err = await errorOf(res);
    expect(err.code).toBe('plan_upgrade_required');
    expect(err.message).toContain('free plan');
  });
});
