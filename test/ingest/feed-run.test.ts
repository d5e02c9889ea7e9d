import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfiguredAllowlist } from '../../src/ingest/allowlist-sources.js';
import { runFeed } from '../../src/ingest/feed-run.js';
import { parseFeedsConfig, type FeedConfig } from '../../src/ingest/feeds-config.js';
import { startScheduler } from '../../src/ingest/scheduler.js';
import { feedsRepository } from '../../src/store/feeds-repository.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { hasSharedData, sharedFile } from '../support/shared-data.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A feed server on loopback that honours If-None-Match, and counts what it served. */
function feedServer(body: string, etag = '"v1"'): { server: Server; url: () => string; hits: { full: number; notModified: number } } {
  const hits = { full: 0, notModified: 0 };
  const server = createServer((req, res) => {
    if (req.headers['if-none-match'] === etag) {
      hits.notModified++;
      res.writeHead(304, { ETag: etag }).end();
      return;
    }
    hits.full++;
    res.writeHead(200, { ETag: etag, 'Content-Type': 'text/plain' }).end(body);
  });
  return { server, hits, url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/ipblocklist.txt` };
}

function feedConfig(url: string): FeedConfig {
  const cfg = parseFeedsConfig(`feeds:\n  - name: Feodo Tracker\n    url: ${url}\n    format: feodo\n    schedule: 1h\n`);
  return cfg.feeds[0] as FeedConfig;
}

describe.runIf(hasSharedData).each(DATABASE_KINDS)('feed runs on %s', (kind) => {
  let db: TestDatabase;
  let store: Store;
  const feodo = hasSharedData ? readFileSync(sharedFile('feodo', 'ipblocklist_recommended.txt'), 'utf8') : '';
  const feodoIps = feodo.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  let srv: ReturnType<typeof feedServer>;

  beforeEach(async () => {
    db = await createTestDatabase(kind);
    store = await openStore(db.url);
    await store.migrate();
    srv = feedServer(feodo);
    await new Promise<void>((r) => srv.server.listen(0, '127.0.0.1', r));
  });
  afterEach(async () => {
    await new Promise<void>((r) => srv.server.close(() => r()));
    await store.close();
    await db.drop();
  });

  it('fetches, ingests and records state; the next run is a conditional GET answered 304', async () => {
    const feed = feedConfig(srv.url());
    const now = new Date('2026-11-01T00:00:00Z');
    const first = await runFeed({ store, feed, ttlDays: {}, now });
    expect(first.status).toBe('ok');
    expect(first.summary?.added).toBe(feodoIps.length);
    const state = await feedsRepository(store.db).getFeedState('Feodo Tracker');
    expect(state).toMatchObject({ last_status: 'ok', etag: '"v1"', added: feodoIps.length, rejected: 0 });
    expect(state?.next_run_at).toBe('2026-11-01T01:00:00.000Z');

    const second = await runFeed({ store, feed, ttlDays: {}, now: new Date('2026-11-01T01:00:00Z') });
    expect(second.status).toBe('not_modified');
    expect(srv.hits).toEqual({ full: 1, notModified: 1 });
    expect((await store.counts()).lastVersion).toBe(feodoIps.length);

    const forced = await runFeed({ store, feed, ttlDays: {}, force: true, now: new Date('2026-11-01T02:00:00Z') });
    expect(forced.status).toBe('ok');
    expect(forced.summary?.added).toBe(0);
    expect(srv.hits.full).toBe(2);
  });

  it('an unreachable feed is a status on the feed, nothing more', async () => {
    // A port that was just free: nothing listens on it.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const dead = feedConfig(`http://127.0.0.1:${port}/nothing-listens-here`);
    const result = await runFeed({ store, feed: dead, ttlDays: {} });
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/connection_refused/);
    const state = await feedsRepository(store.db).getFeedState('Feodo Tracker');
    expect(state).toMatchObject({ last_status: 'error' });
    expect((await store.counts()).total).toBe(0);
  });

  it('the shipped allowlist keeps 8.8.8.8 from a Feodo list out of the active set, offline', async () => {
    const shipped = parseFeedsConfig(
      `allowlists:\n  - name: public-resolvers\n    path: allowlists/public-resolvers.json\n`,
      'test',
      resolve('config'),
    );
    const { allowlist, errors } = await loadConfiguredAllowlist(shipped.allowlists, mkdtempSync(join(tmpdir(), 'socd-wl-')));
    expect(errors).toEqual([]);
    expect(feodoIps).toContain('8.8.8.8');
    await runFeed({ store, feed: feedConfig(srv.url()), ttlDays: {}, allowlist: allowlist.check });
    const ioc = await store.findByValue('ipv4', '8.8.8.8');
    expect(ioc?.status).toBe('allowlisted');
    const active = await store.countIocs({ types: ['ipv4'] });
    expect(active).toBe(feodoIps.length - 1);
  });

  it('the scheduler runs due feeds once and not again before their next run', async () => {
    const feeds = { source: null, ttlDays: {}, allowlists: [], feeds: [feedConfig(srv.url())] };
    const scheduler = startScheduler({ store, feeds, loadAllowlist: async () => null, tickMs: 3_600_000 });
    try {
      const [a, b] = await Promise.all([scheduler.tick(), scheduler.tick()]);
      expect(a).toBe(b); // one round at a time
      expect(a?.map((r) => r.status)).toEqual(['ok']);
      expect(await scheduler.tick()).toEqual([]);
      expect(srv.hits.full).toBe(1);
    } finally {
      await scheduler.stop();
    }
  });
});
