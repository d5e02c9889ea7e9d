import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize } from '../../src/domain/normalize.js';
import { detectFormat } from '../../src/ingest/detect-format.js';
import { parserFor, parseMispFeedDirectory } from '../../src/ingest/parsers/index.js';
import { runIngest } from '../../src/ingest/runner.js';
import type { FeedFormat, ParseItem } from '../../src/ingest/types.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { hasSharedData, SHARED_DATA } from '../support/shared-data.js';
import { collectItems, sharedStream } from './parse-helpers.js';

/**
 * Every feed file in ../shared/data through the whole path (detect, parse, normalize, dedupe,
 * store) on SQLite and PostgreSQL. The expected accepted and rejected counts and the exact set
 * of stored (type, value) pairs are derived from the file: its indicators (whose counts
 * test/ingest/parsers/feed-samples.test.ts derives independently) each put through the domain
 * normalizer on its own. The store must hold exactly the accepted values, once each.
 */

const FEED_DIRS = ['kev', 'urlhaus', 'threatfox', 'feodo', 'spamhaus', 'openphish', 'malwarebazaar', 'stix'];
const NOT_FEEDS = new Set(['known_exploited_vulnerabilities_schema.json']);

function feedFiles(): Array<{ rel: string[]; format: FeedFormat }> {
  const out: Array<{ rel: string[]; format: FeedFormat }> = [];
  for (const dir of FEED_DIRS) {
    for (const name of readdirSync(join(SHARED_DATA, dir)).sort()) {
      if (NOT_FEEDS.has(name)) continue;
      const head = readHead(join(SHARED_DATA, dir, name));
      const format = detectFormat(head, name);
      if (!format) throw new Error(`no format detected for ${dir}/${name}`);
      out.push({ rel: [dir, name], format });
    }
  }
  return out;
}

function readHead(path: string): string {
  const buf = Buffer.alloc(8192);
  const fd = openSync(path, 'r');
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  return buf.subarray(0, n).toString('utf8');
}

interface Expectation {
  parsed: number;
  accepted: number;
  rejected: number;
  keys: Set<string>;
}

async function expectationOf(items: AsyncIterable<ParseItem>): Promise<Expectation> {
  const got = await collectItems(items);
  const keys = new Set<string>();
  let invalid = 0;
  for (const item of got.indicators) {
    const r = normalize(item.value, item.type);
    if (r.ok) keys.add(`${r.type}:${r.value}`);
    else invalid++;
  }
  const parsed = got.indicators.length;
  return { parsed, accepted: parsed - invalid, rejected: invalid + got.problems.length, keys };
}

async function storedKeys(store: Store): Promise<Set<string>> {
  const keys = new Set<string>();
  let after = 0;
  for (;;) {
    const page = await store.listIocs({ status: 'all', afterVersion: after, limit: 1000 });
    if (page.length === 0) return keys;
    for (const row of page) {
      const doc = JSON.parse(row.doc) as { type: string; value: string };
      keys.add(`${doc.type}:${doc.value}`);
      after = row.version;
    }
  }
}

const FILES = hasSharedData ? feedFiles() : [];

describe.runIf(hasSharedData).each(DATABASE_KINDS)('every shared feed file into a real %s store', (kind) => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    store = await openStore(db.url);
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('detects a format for every feed file', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(17);
    expect(statSync(join(SHARED_DATA, 'misp', 'manifest.json')).isFile()).toBe(true);
  });

  it.each(FILES.map((f) => [f.rel.join('/'), f] as const))('%s', async (_name, { rel, format }) => {
    const before = await storedKeys(store);
    const expected = await expectationOf(parserFor(format).parse(sharedStream(...rel)));
    const summary = await runIngest({
      store,
      input: sharedStream(...rel),
      format,
      defaults: { feed_name: rel.join('/'), category: 'community', confidence: 'medium' },
      ttlDays: {},
    });
    expect({ parsed: summary.parsed, accepted: summary.accepted, rejected: summary.rejected }).toEqual({
      parsed: expected.parsed,
      accepted: expected.accepted,
      rejected: expected.rejected,
    });
    const after = await storedKeys(store);
    const fresh = [...expected.keys].filter((k) => !before.has(k));
    expect(summary.added).toBe(fresh.length);
    for (const k of expected.keys) expect(after.has(k)).toBe(true);
    expect(after.size).toBe(before.size + fresh.length);
  });

  it('the MISP feed directory (manifest + events)', async () => {
    const before = await storedKeys(store);
    const expected = await expectationOf(parseMispFeedDirectory(join(SHARED_DATA, 'misp')));
    const summary = await runIngest({
      store,
      items: parseMispFeedDirectory(join(SHARED_DATA, 'misp')),
      defaults: { feed_name: 'TweetFeed MISP', category: 'community', confidence: 'medium' },
      ttlDays: {},
    });
    expect({ parsed: summary.parsed, accepted: summary.accepted, rejected: summary.rejected }).toEqual({
      parsed: expected.parsed,
      accepted: expected.accepted,
      rejected: expected.rejected,
    });
    // The sample's one documentation-range address (198.51.100.1) is the only reject.
    expect(expected.rejected).toBe(1);
    const after = await storedKeys(store);
    const fresh = [...expected.keys].filter((k) => !before.has(k));
    expect(summary.added).toBe(fresh.length);
    expect(after.size).toBe(before.size + fresh.length);
  });
});
