/**
 * Interop: the OASIS taxii2-client drives the real `socd serve` process over HTTP, loaded with the
 * real feed samples of ../shared/data and the demo data. Discovery at /api/taxii2/ and /taxii2/,
 * the API root, every collection paged with as_pages to the end, the manifest, get_object and
 * object_versions; the union of pages must equal the collection exactly, and every object must
 * pass stix2-validator (test/interop/py/validate_stix.py says which checks are off and why).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createUser } from '../../src/api/accounts.js';
import type { IocRecord } from '../../src/domain/ioc.js';
import { resolvePlans } from '../../src/domain/plans.js';
import { TAXII_COLLECTIONS } from '../../src/domain/taxii-collections.js';
import { STIX_SHARED_OBJECTS, stixIdOf } from '../../src/export/stix.js';
import { toMicroTimestamp } from '../../src/export/stix-time.js';
import { loadDemoData } from '../../src/ingest/demo.js';
import { runIngest } from '../../src/ingest/runner.js';
import type { FeedDefaults, FeedFormat } from '../../src/ingest/types.js';
import { AccountsRepository } from '../../src/store/accounts-repository.js';
import { KeysRepository } from '../../src/store/keys-repository.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { requireDependency } from '../support/require.js';
import { hasSharedData, sharedFile } from '../support/shared-data.js';

const PYTHON = resolve('.venv/bin/python');
const hasClient = requireDependency(
  'taxii2-client and stix2-validator',
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import taxii2client, stix2validator'], { stdio: 'ignore' }).status === 0,
  'install .ci/requirements-interop.txt into .venv',
);

const FEEDS: Array<{ file: string[]; format: FeedFormat; defaults: FeedDefaults }> = [
  { file: ['urlhaus', 'urlhaus_csv_online.csv'], format: 'urlhaus', defaults: { feed_name: 'URLhaus', category: 'community', confidence: 'high' } },
  { file: ['feodo', 'ipblocklist.csv'], format: 'feodo', defaults: { feed_name: 'Feodo Tracker', category: 'community', confidence: 'high' } },
  { file: ['threatfox', 'threatfox_recent.csv'], format: 'threatfox-csv', defaults: { feed_name: 'ThreatFox', category: 'community', confidence: 'medium' } },
  { file: ['spamhaus', 'drop.txt'], format: 'spamhaus-drop', defaults: { feed_name: 'Spamhaus DROP', category: 'commercial', confidence: 'high', tlp: 'green' } },
  { file: ['malwarebazaar', 'malwarebazaar_recent.csv'], format: 'malwarebazaar', defaults: { feed_name: 'MalwareBazaar', category: 'community', confidence: 'medium' } },
  { file: ['openphish', 'feed.txt'], format: 'openphish', defaults: { feed_name: 'OpenPhish', category: 'community', confidence: 'medium', tlp: 'amber+strict' } },
  { file: ['kev', 'known_exploited_vulnerabilities.json'], format: 'cisa-kev', defaults: { feed_name: 'CISA KEV', category: 'government', confidence: 'high' } },
];

interface WalkedCollection {
  id: string;
  title: string;
  alias: string;
  can_read: boolean;
  can_write: boolean;
  pages: number;
  objects: Array<{ id: string; type: string; version: string; revoked: boolean }>;
  manifest: Array<{ id: string; date_added: string; version: string; media_type: string }>;
  by_id: Array<{ id: string; returned: string[] }>;
  versions: Array<{ id: string; versions: string[] }>;
}

interface WalkReport {
  documented: { title: string; default: string; api_roots: string[] };
  standard: { title: string; default: string; api_roots: string[] };
  api_root: { title: string; versions: string[]; max_content_length: number };
  collections: WalkedCollection[];
  validation: { checked: number; failures: Array<{ profile: string; errors: string[] }> };
}

const PER_REQUEST = 100;

/** Every (STIX id, version) of a collection, straight from the database, in version order. */
async function expectedContents(store: Store, types: IocRecord['type'][]): Promise<Array<{ id: string; version: string }>> {
  const out = STIX_SHARED_OBJECTS.map((o) => ({ id: o.id, version: toMicroTimestamp('modified' in o ? o.modified : o.created) ?? '' }));
  let after: number | undefined;
  for (;;) {
    const rows = await store.listIocs({ types, status: 'all', afterVersion: after, limit: 1000 });
    for (const row of rows) {
      const r = JSON.parse(row.doc) as IocRecord;
      out.push({ id: stixIdOf(r.type, r.id), version: row.updated_at });
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < 1000) return out;
    after = last.version;
  }
}

describe.skipIf(!hasClient || !hasSharedData)('taxii2-client against socd serve', () => {
  let db: TestDatabase;
  let server: ChildProcess | undefined;
  let report: WalkReport;
  let expected: Map<string, Array<{ id: string; version: string }>>;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    const store = await openStore(db.url);
    await store.migrate();
    for (const feed of FEEDS) {
      await runIngest({ store, input: createReadStream(sharedFile(...feed.file)), format: feed.format, defaults: feed.defaults, ttlDays: {} });
    }
    await loadDemoData(store);
    // Retired IOCs must be served too, as revoked versions.
    const some = await store.listIocs({ types: ['ipv4'], status: 'all', limit: 3 });
    for (const row of some) await store.setStatus((JSON.parse(row.doc) as IocRecord).id, 'revoked', new Date());
    const deps = { accounts: new AccountsRepository(store.db), keys: new KeysRepository(store.db), plans: resolvePlans({}) };
    await createUser(deps, { email: 'taxii@example.com', password: 'correct horse battery', role: 'member', plan: 'pro' });
    const { key } = await createApiKey(deps, { email: 'taxii@example.com', name: 'taxii2-client' });

    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--database-url', db.url], {
      env: { ...process.env, SOCD_SCHEDULER: 'false', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    server = child;
    const url = await new Promise<string>((resolveUrl, reject) => {
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      lines.on('line', (line) => {
        const m = /^socd listening on (\S+)/.exec(line);
        if (m?.[1]) resolveUrl(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`socd serve exited with ${code}`)));
    });

    const walk = spawnSync(PYTHON, ['test/interop/py/taxii_walk.py', url, key, String(PER_REQUEST)], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, PYTHONPATH: resolve('test/interop/py') },
    });
    if (walk.status !== 0) throw new Error(`taxii_walk.py failed:\n${walk.stderr}`);
    report = JSON.parse(walk.stdout) as WalkReport;

    expected = new Map();
    for (const c of TAXII_COLLECTIONS) expected.set(c.id, await expectedContents(store, [...c.iocTypes]));
    await store.close();
  }, 600_000);

  afterAll(async () => {
    server?.kill('SIGTERM');
    await db?.drop();
  });

  it('discovers the API root at /api/taxii2/ and at /taxii2/', () => {
    for (const d of [report.documented, report.standard]) {
      expect(d.title).toBe('SOC Defenders TAXII Server');
      expect(d.default).toMatch(/\/api\/taxii2\/api\/$/);
      expect(d.api_roots).toEqual([d.default]);
    }
    expect(report.api_root.versions).toEqual(['application/taxii+json;version=2.1']);
  });

  it('lists the four collections, readable and not writable', () => {
    expect(report.collections.map((c) => [c.id, c.title, c.alias, c.can_read, c.can_write])).toEqual(
      TAXII_COLLECTIONS.map((c) => [c.id, c.title, c.alias, true, false]),
    );
  });

  it.each(TAXII_COLLECTIONS.map((c) => [c.title, c.id] as const))('pages %s to the end: the union equals the collection', (_t, id) => {
    const walked = report.collections.find((c) => c.id === id);
    const want = expected.get(id) ?? [];
    expect(want.length).toBeGreaterThan(STIX_SHARED_OBJECTS.length);
    expect(walked?.objects.map((o) => `${o.id} ${toMicroTimestamp(o.version)}`)).toEqual(want.map((o) => `${o.id} ${o.version}`));
    expect(walked?.pages).toBe(Math.ceil(want.length / PER_REQUEST));
    expect(walked?.manifest.map((m) => `${m.id} ${m.version}`)).toEqual(want.map((o) => `${o.id} ${o.version}`));
    const dates = walked?.manifest.map((m) => m.date_added) ?? [];
    expect(new Set(dates).size).toBe(dates.length);
    expect([...dates].sort()).toEqual(dates);
  });

  it('gets sampled objects by id and their versions', () => {
    for (const c of report.collections) {
      const versions = new Map(c.objects.map((o) => [o.id, toMicroTimestamp(o.version)]));
      expect(c.by_id.length).toBeGreaterThan(5);
      for (const o of c.by_id) expect(o.returned).toEqual([o.id]);
      for (const v of c.versions) expect(v.versions.map((x) => toMicroTimestamp(x))).toEqual([versions.get(v.id)]);
    }
  });

  it('serves revoked IOCs as revoked objects', () => {
    const all = report.collections[0]?.objects ?? [];
    expect(all.filter((o) => o.revoked).length).toBeGreaterThanOrEqual(3);
  });

  it('serves only objects that pass stix2-validator', () => {
    expect(report.validation.checked).toBe(expected.get(TAXII_COLLECTIONS[0]?.id ?? '')?.length);
    expect(report.validation.failures).toEqual([]);
  });
});
