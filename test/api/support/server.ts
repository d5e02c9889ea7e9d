/**
 * Starting the real API on a free port over a real database (SQLite file or a fresh PostgreSQL
 * database), plus factories for users, keys and IOC candidates. No mocks.
 */
import type { FastifyInstance } from 'fastify';
import { createApiKey, createUser, type AccountDeps } from '../../../src/api/accounts.js';
import { buildApp } from '../../../src/api/app.js';
import { loadConfig, type Config } from '../../../src/config.js';
import type { IocCandidate } from '../../../src/domain/ioc.js';
import { resolvePlans } from '../../../src/domain/plans.js';
import type { Category, Confidence, IocType, Sector } from '../../../src/domain/vocabulary.js';
import { AccountsRepository } from '../../../src/store/accounts-repository.js';
import { KeysRepository } from '../../../src/store/keys-repository.js';
import { openStore } from '../../../src/store/open.js';
import type { Store } from '../../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';

export interface RunningApi {
  url: string;
  app: FastifyInstance;
  store: Store;
  db: TestDatabase;
  config: Config;
  deps: AccountDeps;
  close(): Promise<void>;
}

export function testConfig(databaseUrl: string, plans: Config['plans'] = {}): Config {
  return { ...loadConfig({ databaseUrl }, {}), plans };
}

export async function startApi(kind: 'sqlite' | 'postgres', plans: Config['plans'] = {}): Promise<RunningApi> {
  const db = await createTestDatabase(kind);
  const store = await openStore(db.url);
  await store.migrate();
  const config = testConfig(db.url, plans);
  const app = await buildApp({ store, config, logger: process.env.SOCD_TEST_LOG ? { level: 'error' } : false });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const deps: AccountDeps = {
    accounts: new AccountsRepository(store.db),
    keys: new KeysRepository(store.db),
    plans: resolvePlans(plans),
  };
  return {
    url: address,
    app,
    store,
    db,
    config,
    deps,
    async close() {
      await app.close();
      await store.close();
      await db.drop();
    },
  };
}

let userSeq = 0;

/** A new user on `plan` and one key of theirs. */
export async function newKey(
  deps: AccountDeps,
  plan = 'pro',
  opts: { expiresInDays?: number; email?: string } = {},
): Promise<{ key: string; id: string; email: string; userId: string }> {
  const email = opts.email ?? `user${++userSeq}-${Date.now()}@example.com`;
  const existing = await deps.accounts.findByEmail(email);
  const user = existing ?? (await createUser(deps, { email, password: 'correct horse battery', role: 'member', plan }));
  const created = await createApiKey(deps, { email, name: 'test', expiresInDays: opts.expiresInDays });
  return { key: created.key, id: created.record.id, email, userId: user.id };
}

export interface CandidateOptions {
  type?: IocType;
  confidence?: Confidence;
  category?: Category;
  industries?: Sector[];
  feed?: string;
  seenAt?: string;
  tags?: string[];
}

/** The n-th distinct canonical value of `type` (public, routable-looking values). */
export function valueOf(type: IocType, n: number): string {
  const hex = (len: number) => n.toString(16).padStart(len, '0').slice(-len);
  switch (type) {
    case 'ipv4':
      return `45.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    case 'ipv6':
      return `2a01:4f8::${(n & 0xffff).toString(16)}:${((n >> 16) & 0xffff).toString(16)}`;
    case 'domain':
      return `host${n}.evil-example.net`;
    case 'url':
      return `http://host${n}.evil-example.net/payload/${n}`;
    case 'md5':
      return hex(32);
    case 'sha1':
      return hex(40);
    case 'sha256':
      return hex(64);
    case 'sha512':
      return hex(128);
    case 'cve':
      return `CVE-2024-${String(10000 + n)}`;
    case 'email':
      return `phisher${n}@evil-example.net`;
    case 'mitre-attack':
      return `T${String(1000 + (n % 9000))}`;
  }
}

export function candidate(n: number, o: CandidateOptions = {}): IocCandidate {
  const type = o.type ?? 'ipv4';
  const seen = o.seenAt ?? new Date().toISOString();
  return {
    type,
    value: valueOf(type, n),
    confidence: o.confidence ?? 'medium',
    source: {
      feed_name: o.feed ?? 'test-feed',
      category: o.category ?? 'community',
      origin: 'feed',
      reference_url: `https://feed.example/${n}`,
      article_id: null,
      article_title: null,
      article_url: null,
      first_seen: seen,
      last_seen: seen,
      confidence: o.confidence ?? 'medium',
      context: null,
    },
    tags: o.tags ?? ['test'],
    mitre_techniques: [],
    industries: o.industries ?? [],
    threat_type: null,
    malware: null,
    tlp: null,
    context: null,
  };
}

export async function ingest(store: Store, candidates: readonly IocCandidate[], now = new Date()): Promise<void> {
  await store.upsertBatch(candidates, { now, ttlDays: {} });
}

/** fetch with the key as Bearer. */
export function get(api: { url: string }, path: string, key?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${api.url}${path}`, { headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } });
}
