import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAllowlist } from '../../src/ingest/allowlist.js';
import { runIngest } from '../../src/ingest/runner.js';
import type { FeedDefaults } from '../../src/ingest/types.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { hasSharedData, sharedFile } from '../support/shared-data.js';
import { sharedStream, textStream } from './parse-helpers.js';

const DAY = 86_400_000;
const T0 = new Date('2026-03-01T00:00:00.000Z');
const FEODO: FeedDefaults = { feed_name: 'Feodo Tracker', category: 'community', confidence: 'high' };
const OTHER: FeedDefaults = { feed_name: 'My blocklist', category: 'commercial', confidence: 'medium' };
const feodoLines = (): string[] =>
  readFileSync(sharedFile('feodo', 'ipblocklist_recommended.txt'), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));

describe.runIf(hasSharedData).each(DATABASE_KINDS)('runIngest into a real %s store', (kind) => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    db = await createTestDatabase(kind);
    store = await openStore(db.url);
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('Feodo with public-dns-v4: 8.8.8.8 is stored allowlisted, never active; a rerun changes nothing', async () => {
    const { allowlist, errors } = await loadAllowlist([sharedFile('warninglists', 'public-dns-v4.json')]);
    expect(errors).toEqual([]);
    const ips = feodoLines();
    const first = await runIngest({ store, input: sharedStream('feodo', 'ipblocklist_recommended.txt'), format: 'feodo', defaults: FEODO, ttlDays: { ipv4: 30 }, allowlist: allowlist.check, now: T0 });
    const allowlisted = ips.filter((ip) => allowlist.check('ipv4', ip)).length;
    expect(allowlisted).toBeGreaterThanOrEqual(1);
    expect(first).toMatchObject({ parsed: ips.length, accepted: ips.length, rejected: 0, added: ips.length, allowlisted });
    expect(await store.findByValue('ipv4', '8.8.8.8')).toMatchObject({ status: 'allowlisted' });
    expect(await store.findByValue('ipv4', '93.48.80.198')).toMatchObject({
      status: 'active',
      threat_type: 'botnet_cc',
      mitre_techniques: ['T1071'],
      sources: [expect.objectContaining({ feed_name: 'Feodo Tracker', category: 'community' })],
    });
    expect(await store.countIocs({ status: 'active' })).toBe(ips.length - allowlisted);
    const before = (await store.counts()).lastVersion;

    // An hour later (within the default 6 h last_seen resolution): nothing is written at all.
    const soon = await runIngest({ store, input: sharedStream('feodo', 'ipblocklist_recommended.txt'), format: 'feodo', defaults: FEODO, ttlDays: { ipv4: 30 }, allowlist: allowlist.check, now: new Date(T0.getTime() + 3600_000) });
    expect(soon).toMatchObject({ added: 0, updated: 0, unchanged: ips.length });
    expect((await store.findByValue('ipv4', '93.48.80.198'))?.last_seen).toBe('2026-03-01T00:00:00.000Z');

    const again = await runIngest({ store, input: sharedStream('feodo', 'ipblocklist_recommended.txt'), format: 'feodo', defaults: FEODO, ttlDays: { ipv4: 30 }, allowlist: allowlist.check, now: new Date(T0.getTime() + 7 * 3600_000) });
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: ips.length });
    expect((await store.counts()).lastVersion).toBe(before);
    // last_seen advances without a new version.
    expect((await store.findByValue('ipv4', '93.48.80.198'))?.last_seen).toBe('2026-03-01T07:00:00.000Z');
  });

  it('one IOC from two feeds has both sources; a bad line is reported and the good lines land', async () => {
    await runIngest({ store, input: textStream('93.48.80.198\n'), format: 'feodo', defaults: FEODO, ttlDays: {}, now: T0 });
    const summary = await runIngest({ store, input: textStream('# mine\n93.48.80.198\nnot-an-ioc\n198.51.100.300\n45.137.21.9\n'), format: 'list', defaults: OTHER, ttlDays: {}, now: T0 });
    expect(summary).toMatchObject({ lines: 5, parsed: 4, accepted: 2, rejected: 2, added: 1, updated: 1 });
    expect(summary.problems.map((p) => p.line)).toEqual([3, 4]);
    const ioc = await store.findByValue('ipv4', '93.48.80.198');
    expect(ioc?.sources.map((s) => s.feed_name).sort()).toEqual(['Feodo Tracker', 'My blocklist']);
    expect(ioc?.source.feed_name).toBe('Feodo Tracker'); // the higher-confidence source
  });

  it('per-type expiry: an IOC not seen within its TTL becomes expired, with a new version', async () => {
    await runIngest({ store, input: textStream('93.48.80.198\nhttp://evil-domain.xyz/a\n'), format: 'list', defaults: OTHER, ttlDays: { ipv4: 30, url: 7 }, now: T0 });
    const later = await runIngest({ store, input: textStream(''), format: 'list', defaults: OTHER, ttlDays: { ipv4: 30, url: 7 }, now: new Date(T0.getTime() + 10 * DAY) });
    expect(later.expired).toBe(1);
    expect(await store.findByValue('url', 'http://evil-domain.xyz/a')).toMatchObject({ status: 'expired' });
    expect(await store.findByValue('ipv4', '93.48.80.198')).toMatchObject({ status: 'active' });
  });

  it('a killed ingest leaves whole batches; the rerun completes it', async () => {
    const lines = feodoLines();
    async function* killedAfter(n: number): AsyncGenerator<string> {
      yield `${lines.slice(0, n).join('\n')}\n`;
      throw new Error('killed');
    }
    await expect(runIngest({ store, input: killedAfter(100), format: 'feodo', defaults: FEODO, ttlDays: {}, now: T0, batchSize: 30 })).rejects.toThrow(/interrupted after 100 lines/);
    expect((await store.counts()).total).toBe(100);
    const rerun = await runIngest({ store, input: sharedStream('feodo', 'ipblocklist_recommended.txt'), format: 'feodo', defaults: FEODO, ttlDays: {}, now: T0, batchSize: 30 });
    expect(rerun).toMatchObject({ added: lines.length - 100, unchanged: 100 });
    expect((await store.counts()).total).toBe(lines.length);
  });
});
