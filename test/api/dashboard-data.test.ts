/**
 * What the dashboard pages read (`/api/dashboard/*`) and the feeds page (`/api/admin/feeds`):
 * overview counts, the explorer with the API's filters and plan limits, the IOC page renderings,
 * lookup, usage against the plan, and "run now" on a configured feed with its live state.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { encodeQueryValue, shellQuote } from '../../src/api/ioc-page-view.js';
import { buildOverview } from '../../src/api/overview-view.js';
import type { FeedListBody } from '../../src/api/schemas/admin.js';
import type { DashboardUsage, ExplorerBody, IocPage, Overview } from '../../src/api/schemas/dashboard.js';
import { iocId } from '../../src/domain/ids.js';
import { countUpTo } from '../../src/store/dashboard-queries.js';
import { resolvePlans } from '../../src/domain/plans.js';
import { AccountsRepository } from '../../src/store/accounts-repository.js';
import { KeysRepository } from '../../src/store/keys-repository.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { hasSharedData, sharedFile } from '../support/shared-data.js';
import { ioc } from './search-fixtures.js';
import { SessionClient, dashboardUser, errorCode } from './support/dashboard-session.js';
import { get, newKey, testConfig } from './support/server.js';

describe('overview fold', () => {
  it('counts active IOCs by type, confidence and category, every status, and new IOCs per day', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const o = buildOverview(
      [
        { type: 'ipv4', confidence: 'high', category: 'community', status: 'active', day: '2026-03-10', count: 3 },
        { type: 'ipv4', confidence: 'low', category: 'government', status: 'active', day: null, count: 2 },
        { type: 'url', confidence: 'high', category: 'community', status: 'expired', day: '2026-03-09', count: 4 },
      ],
      now,
      [{ name: 'B feed', last_run_at: '2026-03-10T11:00:00Z', last_success_at: '2026-03-10T11:00:00Z', last_status: 'ok', last_error: null, added: 1, updated: 0, unchanged: 0, rejected: 0, next_run_at: null }],
      ['A feed', 'B feed'],
      now,
      3,
    );
    expect(o.totals).toEqual({ iocs: 9, active: 5 });
    expect(o.by_type).toMatchObject({ ipv4: 5, url: 0, domain: 0 });
    expect(o.by_confidence).toEqual({ high: 3, medium: 0, low: 2 });
    expect(o.by_category).toMatchObject({ community: 3, government: 2, news: 0 });
    expect(o.by_status).toEqual({ active: 5, expired: 4, revoked: 0, allowlisted: 0 });
    expect(o.new_per_day).toEqual([
      { date: '2026-03-08', count: 0 },
      { date: '2026-03-09', count: 4 },
      { date: '2026-03-10', count: 3 },
    ]);
    expect(o.feeds.map((f) => [f.name, f.health])).toEqual([
      ['A feed', 'never_run'],
      ['B feed', 'healthy'],
    ]);
  });
});

describe('ready-to-copy commands', () => {
  it.each([
    ["plain", "'plain'"],
    ["it's", "'it'\\''s'"],
    ['$(rm -rf /) `x` "q"', "'$(rm -rf /) `x` \"q\"'"],
  ])('shell-quotes %s', (input, quoted) => {
    expect(shellQuote(input)).toBe(quoted);
  });

  it('percent-encodes every character a shell or URL parser could act on', () => {
    expect(encodeQueryValue("http://x/a?b=c&d='e'(f)*!")).toBe('http%3A%2F%2Fx%2Fa%3Fb%3Dc%26d%3D%27e%27%28f%29%2A%21');
  });
});

interface Running {
  url: string;
  app: FastifyInstance;
  store: Store;
  db: TestDatabase;
  dir: string;
}

const FEED = 'Feodo sample';

describe.each(DATABASE_KINDS)('dashboard data (%s)', (kind) => {
  let s: Running;
  let pro: SessionClient;
  let free: SessionClient;
  let admin: SessionClient;
  const deps = (): { accounts: AccountsRepository; keys: KeysRepository; plans: ReturnType<typeof resolvePlans> } => ({
    accounts: new AccountsRepository(s.store.db),
    keys: new KeysRepository(s.store.db),
    plans: resolvePlans({}),
  });

  beforeAll(async () => {
    const db = await createTestDatabase(kind);
    const store = await openStore(db.url);
    await store.migrate();
    const dir = mkdtempSync(join(tmpdir(), 'socd-dash-'));
    const feeds = join(dir, 'feeds.yaml');
    writeFileSync(
      feeds,
      `feeds:\n  - name: ${FEED}\n    path: ${JSON.stringify(sharedFile('feodo', 'ipblocklist.csv'))}\n    format: feodo\n    schedule: 6h\n` +
        `  - name: Missing file\n    path: ${JSON.stringify(join(dir, 'nope.txt'))}\n    format: list\n`,
    );
    const app = await buildApp({ store, config: { ...testConfig(db.url), feedsConfigPath: feeds, dataDir: dir }, logger: false });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    s = { url, app, store, db, dir };
    const d = deps();
    pro = await SessionClient.signIn(url, (await dashboardUser(d, 'member', 'pro')).email);
    free = await SessionClient.signIn(url, (await dashboardUser(d, 'member', 'free')).email);
    admin = await SessionClient.signIn(url, (await dashboardUser(d, 'admin', 'pro')).email);
    const now = new Date();
    const old = new Date(Date.now() - 20 * 86_400_000).toISOString();
    await store.upsertBatch(
      [
        ioc('ipv4', '45.1.1.1', { confidence: 'high', category: 'government', techniques: ['T1071'] }),
        ioc('ipv4', '45.1.1.2', { confidence: 'low' }),
        ioc('domain', 'evil-example.net', { confidence: 'medium', seen: old }),
        ioc('url', 'http://evil-example.net/a', { confidence: 'high', category: 'threat-intel' }),
        ioc('sha256', 'a'.repeat(64), { confidence: 'high' }),
      ],
      { now, ttlDays: {} },
    );
  });
  afterAll(async () => {
    await s?.app.close();
    await s?.store.close();
    await s?.db.drop();
    if (s) rmSync(s.dir, { recursive: true, force: true });
  });

  it('needs a session for everything', async () => {
    for (const path of ['/api/dashboard/overview', '/api/dashboard/iocs', '/api/dashboard/lookup?ioc=1.2.3.4', '/api/dashboard/usage', `/api/dashboard/iocs/${iocId('ipv4', '45.1.1.1')}`]) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.status, path).toBe(401);
      expect(await errorCode(res)).toBe('authentication_required');
    }
  });

  it('overview: counts by type, confidence, category and status, new per day, feed health', async () => {
    const { data } = await free.json<{ data: Overview }>('GET', '/api/dashboard/overview');
    expect(data.totals).toEqual({ iocs: 5, active: 5 });
    expect(data.by_type).toMatchObject({ ipv4: 2, domain: 1, url: 1, sha256: 1, md5: 0 });
    expect(data.by_confidence).toEqual({ high: 3, medium: 1, low: 1 });
    expect(data.by_category).toMatchObject({ government: 1, community: 3, 'threat-intel': 1 });
    expect(data.new_per_day).toHaveLength(30);
    expect(data.new_per_day.at(-1)).toEqual({ date: new Date().toISOString().slice(0, 10), count: 4 });
    expect(data.new_per_day.reduce((n, d) => n + d.count, 0)).toBe(5);
    expect(data.feeds.map((f) => [f.name, f.health])).toEqual([
      [FEED, 'never_run'],
      ['Missing file', 'never_run'],
    ]);
  });

  it('explorer: newest first, the API filters, keyset paging', async () => {
    const all = await pro.json<ExplorerBody>('GET', '/api/dashboard/iocs');
    expect(all.meta).toMatchObject({ total: 5, limit: 50, next_before: null, lookback_days: 365 });
    const versions = all.data.map((i) => i.version);
    expect(versions).toEqual([...versions].sort((a, b) => b - a));
    const page1 = await pro.json<ExplorerBody>('GET', '/api/dashboard/iocs?limit=2');
    expect(page1.data.map((i) => i.version)).toEqual(versions.slice(0, 2));
    const page2 = await pro.json<ExplorerBody>('GET', `/api/dashboard/iocs?limit=2&before=${page1.meta.next_before}`);
    expect(page2.data.map((i) => i.version)).toEqual(versions.slice(2, 4));
    const ips = await pro.json<ExplorerBody>('GET', '/api/dashboard/iocs?type=ipv4&confidence=high');
    expect(ips.meta.total).toBe(1);
    expect(ips.data.map((i) => i.value)).toEqual(['45.1.1.1']);
    const cat = await pro.json<ExplorerBody>('GET', '/api/dashboard/iocs?category=threat-intel');
    expect(cat.data.map((i) => i.value)).toEqual(['http://evil-example.net/a']);
    expect(all.meta.total_capped).toBe(false);
    // Counting stops at the cap: "10,000+" costs the same on a million IOCs as on ten thousand.
    expect(await countUpTo(s.store.db, { status: 'active' }, 3)).toBe(3);
    expect(await countUpTo(s.store.db, { status: 'active' }, 100)).toBe(5);
    expect(await countUpTo(s.store.db, { status: 'active', types: ['ipv4'] }, 100)).toBe(2);
    const bad = await pro.request('GET', '/api/dashboard/iocs?type=nope');
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe('invalid_parameter');
  });

  it("explorer: the user's plan limits, as the API applies them", async () => {
    const week = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const lookback = await free.request('GET', `/api/dashboard/iocs?since=${week}`);
    expect(lookback.status).toBe(403);
    expect(await errorCode(lookback)).toBe('lookback_exceeded');
    const limit = await free.request('GET', '/api/dashboard/iocs?limit=101');
    expect(limit.status).toBe(400);
    expect(await errorCode(limit)).toBe('limit_exceeded');
    expect((await free.json<ExplorerBody>('GET', '/api/dashboard/iocs')).meta.lookback_days).toBe(1);
  });

  it('IOC page: the record and its STIX, Sigma, hunting and curl renderings', async () => {
    const id = iocId('url', 'http://evil-example.net/a');
    const { data } = await free.json<{ data: IocPage }>('GET', `/api/dashboard/iocs/${id}`);
    expect(data.ioc).toMatchObject({ id, type: 'url', value: 'http://evil-example.net/a', status: 'active' });
    expect(data.risk.score).toBeGreaterThan(0);
    expect(JSON.parse(data.renderings.stix)).toMatchObject({ type: 'indicator', pattern: "[url:value = 'http://evil-example.net/a']" });
    expect(data.renderings.sigma).toMatch(new RegExp(`^title: .*\\nid: '${id}'`));
    expect(data.renderings.curl.by_id).toBe(`curl -sS -H "Authorization: Bearer $SOCD_API_KEY" '${s.url}/api/v1/iocs/${id}'`);
    expect(data.renderings.curl.lookup).toBe(`curl -sS -H "Authorization: Bearer $SOCD_API_KEY" '${s.url}/api/v1/lookup?ioc=http%3A%2F%2Fevil-example.net%2Fa'`);
    expect(data.renderings.splunk).toContain('http://evil-example.net/a');
    const cve = await free.json<{ data: IocPage }>('GET', `/api/dashboard/iocs/${iocId('sha256', 'a'.repeat(64))}`);
    expect(cve.data.renderings.sigma).not.toBeNull();
    const missing = await free.request('GET', `/api/dashboard/iocs/${iocId('ipv4', '9.9.9.9')}`);
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe('ioc_not_found');
    // The curl command really fetches the IOC.
    const { key } = await newKey(deps(), 'free');
    const url = /'([^']+)'$/.exec(data.renderings.curl.by_id)?.[1] ?? '';
    expect((await fetch(url, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
  });

  it('lookup: a defanged value, as GET /api/v1/lookup answers it', async () => {
    const { key } = await newKey(deps(), 'free');
    const viaDashboard = await free.json<{ found: boolean; value: string; data: { id: string } }>('GET', `/api/dashboard/lookup?ioc=${encodeURIComponent('hxxp://evil-example[.]net/a')}`);
    const viaApi = (await (await get(s, `/api/v1/lookup?ioc=${encodeURIComponent('hxxp://evil-example[.]net/a')}`, key)).json()) as typeof viaDashboard;
    expect(viaDashboard).toMatchObject({ found: true, value: 'http://evil-example.net/a' });
    expect({ ...viaDashboard, meta: null }).toEqual({ ...viaApi, meta: null });
    const notFound = await free.json<{ found: boolean }>('GET', '/api/dashboard/lookup?ioc=45.9.9.9');
    expect(notFound.found).toBe(false);
    expect((await free.request('GET', '/api/dashboard/lookup?ioc=not%20an%20observable')).status).toBe(400);
  });

  it("usage: today's requests per key against the plan, a daily series, what pro unlocks", async () => {
    const user = await dashboardUser(deps(), 'member', 'free');
    const session = await SessionClient.signIn(s.url, user.email);
    const a = await session.json<{ data: { key: string; id: string } }>('POST', '/api/v1/keys', { name: 'a' }, 201);
    const b = await session.json<{ data: { key: string; id: string } }>('POST', '/api/v1/keys', { name: 'b' }, 201);
    for (let i = 0; i < 3; i++) await get(s, '/api/v1/iocs', a.data.key);
    await get(s, '/api/v1/iocs', b.data.key);
    const { data } = await session.json<{ data: DashboardUsage }>('GET', '/api/dashboard/usage?days=7');
    expect(data.plan).toMatchObject({ name: 'free', requests_per_day: 1000, requests_per_minute: 10, lookback_days: 1 });
    expect(data.upgrade?.plan.name).toBe('pro');
    expect(data.upgrade?.unlocks).toEqual(expect.arrayContaining(['csv', 'stix', 'taxii', 'sigma']));
    expect(data.upgrade?.unlocks).not.toContain('json');
    expect(data.keys.map((k) => [k.name, k.day.used, k.day.limit, k.day.remaining])).toEqual([
      ['a', 3, 1000, 997],
      ['b', 1, 1000, 999],
    ]);
    expect(data.today.requests).toBe(4);
    expect(data.daily).toHaveLength(7);
    const proUsage = await pro.json<{ data: DashboardUsage }>('GET', '/api/dashboard/usage');
    expect(proUsage.data.upgrade).toBeNull();
    expect(proUsage.data.daily).toHaveLength(30);
  });

  it.runIf(hasSharedData)('feeds: run now, live state while running, counts and errors after', async () => {
    const before = await admin.json<FeedListBody>('GET', '/api/admin/feeds');
    expect(before.data.map((f) => [f.name, f.configured, f.health, f.running])).toEqual([
      [FEED, true, 'never_run', false],
      ['Missing file', true, 'never_run', false],
    ]);
    const started = await admin.request('POST', `/api/admin/feeds/${encodeURIComponent(FEED)}/run`);
    expect(started.status).toBe(202);
    const again = await admin.request('POST', `/api/admin/feeds/${encodeURIComponent(FEED)}/run`);
    // Either still running (409) or already done, when the sample is read that fast (202).
    expect([202, 409]).toContain(again.status);
    let feed = before.data[0];
    for (let i = 0; i < 100; i++) {
      feed = (await admin.json<FeedListBody>('GET', '/api/admin/feeds')).data.find((f) => f.name === FEED);
      if (feed && !feed.running) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(feed).toMatchObject({ last_status: 'ok', health: 'healthy', running: false, last_error: null });
    expect((feed?.added ?? 0) + (feed?.unchanged ?? 0)).toBeGreaterThan(10);
    expect(feed?.next_run_at).not.toBeNull();

    expect((await admin.request('POST', `/api/admin/feeds/${encodeURIComponent('Missing file')}/run`)).status).toBe(202);
    let missing = feed;
    for (let i = 0; i < 100; i++) {
      missing = (await admin.json<FeedListBody>('GET', '/api/admin/feeds')).data.find((f) => f.name === 'Missing file');
      if (missing && !missing.running) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(missing?.last_status).toBe('error');
    expect(missing?.last_error).toMatch(/not_found/);
    const unknown = await admin.request('POST', '/api/admin/feeds/nope/run');
    expect(unknown.status).toBe(404);
    const audit = await admin.json<{ data: Array<{ action: string; target: { id: string } | null }> }>('GET', '/api/admin/audit');
    expect(audit.data.filter((e) => e.action === 'feed.run').map((e) => e.target?.id)).toEqual(expect.arrayContaining([FEED, 'Missing file']));
    const overview = await free.json<{ data: Overview }>('GET', '/api/dashboard/overview');
    expect(overview.data.feeds.find((f) => f.name === 'Missing file')?.health).toBe('error');
  });
});
