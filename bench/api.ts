/**
 * API benchmark (`npm run bench -- api`): a real `socd serve` process on a 1,000,000-IOC SQLite
 * database (built once with store.upsertBatch and cached in bench/out/), loaded by autocannon
 * with 50 connections from this process:
 *   - GET /api/v1/iocs?limit=100: target >= 5,000 req/s, p99 < 25 ms, and at least half the rate
 *     of a bare fastify route answering the same bytes from memory (measured in the same run);
 *   - GET /api/v1/lookup (when the route exists), walking 4,096 stored values spread over the
 *     database: target >= 15,000 req/s; beside it, the same lookups answered by the lookup's own
 *     work alone on a bare fastify route (the "floor": no auth, quota, log, headers or schema).
 * Every request is authenticated (key row read by hash) and counted exactly in usage_counters,
 * as in production. Also measured in-process: the auth lookup and the quota count alone.
 *
 * Environment: API_BENCH_IOCS (default 1000000), API_BENCH_SECONDS (default 10), API_BENCH_ROUNDS
 * (list/baseline alternations, default 3).
 * Internal: `bench/api.ts --baseline <file>` serves <file> from memory (the baseline server).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { hashApiKey } from '../src/api/credentials.js';
import { lookupAnswer } from '../src/api/lookup-view.js';
import { normalizeObservable } from '../src/api/observables.js';
import type { IocCandidate } from '../src/domain/ioc.js';
import type { IocType } from '../src/domain/vocabulary.js';
import { KeysRepository } from '../src/store/keys-repository.js';
import { openStore } from '../src/store/open.js';
import { IocLookup } from '../src/store/search-queries.js';
import { COST_UNITS_PER_REQUEST, UsageRepository } from '../src/store/usage-repository.js';
import { benchCandidate, benchValue } from './fixtures.js';
import { createProKey, serveArgs, startListening, stopChild, waitForIdle } from './http.js';
import { report, type Figure } from './report.js';

const OUT = resolve('bench/out');
const IOCS = Number(process.env.API_BENCH_IOCS ?? 1_000_000);
const SECONDS = Number(process.env.API_BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
/** List/baseline rounds (see main). */
const ROUNDS = Number(process.env.API_BENCH_ROUNDS ?? 3);
const DB = join(OUT, `api-${IOCS}.db`);
/** Quotas far above what the bench sends: it measures serving, not 429s (counting still runs). */
const PLANS = { pro: { per_minute: 1_000_000_000, per_day: 1_000_000_000 } };
const TYPES: IocType[] = ['ipv4', 'domain', 'url', 'sha256', 'md5', 'sha1'];

function candidateOf(n: number): IocCandidate {
  const type = TYPES[n % TYPES.length] as IocType;
  return benchCandidate(n, {
    type,
    value: benchValue(type, n),
    seen: new Date().toISOString(),
    confidence: (['high', 'medium', 'low'] as const)[n % 3] ?? 'medium',
    mitre: n % 4 === 0 ? ['T1071'] : [],
    industries: n % 5 === 0 ? ['energy'] : [],
  });
}

/** Build the cached database once (written to a temp name, renamed when complete). */
async function ensureDatabase(): Promise<void> {
  if (existsSync(DB)) return;
  mkdirSync(OUT, { recursive: true });
  const tmp = `${DB}.building`;
  rmSync(tmp, { force: true });
  const started = Date.now();
  const store = await openStore(tmp);
  await store.migrate();
  const BATCH = 10_000;
  for (let i = 0; i < IOCS; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, IOCS - i) }, (_, j) => candidateOf(i + j));
    await store.upsertBatch(batch, { now: new Date(), ttlDays: {} });
    if ((i / BATCH) % 10 === 0) process.stdout.write(`  populating: ${i + batch.length} IOCs\r`);
  }
  await store.close();
  for (const suffix of ['-wal', '-shm']) rmSync(`${tmp}${suffix}`, { force: true });
  renameSync(tmp, DB);
  process.stdout.write(`  populated ${IOCS} IOCs in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

/** Mean cost of `fn` in microseconds over `n` sequential runs. */
async function microsPerOp(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  return Number(process.hrtime.bigint() - t0) / 1000 / n;
}

/**
 * Load `url` with autocannon; with `paths`, request after request walks through them (so a
 * lookup bench asks for many stored values, not one hot row).
 */
interface LoadResult {
  rps: number;
  p99: number;
  errors: number;
  bytes: number;
}

async function load(url: string, headers: Record<string, string>, paths?: readonly string[]): Promise<LoadResult> {
  let next = 0;
  const requests = paths
    ? [{ setupRequest: (req: autocannon.Request): autocannon.Request => ({ ...req, path: paths[next++ % paths.length] as string }) }]
    : undefined;
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers, ...(requests ? { requests } : {}) });
  const non2xx = result.non2xx + result.errors + result.timeouts;
  return { rps: result.requests.average, p99: result.latency.p99, errors: non2xx, bytes: result.throughput.average };
}

/** Child mode: a bare fastify route answering the bytes of `file` from memory. */
async function serveBaseline(file: string): Promise<void> {
  const body = readFileSync(file);
  const app = Fastify({ logger: false });
  app.get('/api/v1/iocs', async (_req, reply) => reply.type('application/json; charset=utf-8').send(body));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`baseline listening on ${address}\n`);
}

/**
 * Child mode: the lookup's own work (normalize, the one indexed query, the enriched answer) on a
 * bare fastify route over the same database, with none of the API's per-request duties (auth,
 * quota, request log, security headers, schemas). What the machine allows a lookup at most.
 */
async function serveLookupFloor(db: string): Promise<void> {
  const store = await openStore(db, { readonly: true });
  const lookup = new IocLookup(store);
  const app = Fastify({ logger: false });
  app.get('/api/v1/lookup', async (request) => {
    const raw = (request.query as { ioc?: string }).ioc ?? '';
    const normalized = normalizeObservable(raw);
    if (!normalized.ok) throw new Error(`not an observable: ${raw}`);
    const now = new Date();
    return lookupAnswer(normalized.type, normalized.value, await lookup.find(normalized.type, normalized.value), now);
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`lookup floor listening on ${address}\n`);
}

async function main(): Promise<void> {
  await ensureDatabase();
  const store = await openStore(DB);
  await store.migrate();
  // Earlier runs' request logs and counters (millions of rows after a few runs) are not part of
  // the scenario: each run starts from the IOCs alone.
  await store.db.deleteFrom('request_log').execute();
  await store.db.deleteFrom('usage_counters').execute();
  const { key, id } = await createProKey(store, `bench-${Date.now()}@example.com`, 'bench passphrase', PLANS);

  // In-process costs of what every request does besides its own work.
  const keys = new KeysRepository(store.db);
  const usage = new UsageRepository(store.db);
  const hash = hashApiKey(key);
  const authUs = await microsPerOp(5000, () => keys.findByHash(hash));
  const quotaUs = await microsPerOp(5000, () =>
    usage.consume(id, COST_UNITS_PER_REQUEST, { minute: 1_000_000_000, day: 1_000_000_000 }, new Date()),
  );
  // Lookups walk 4,096 stored values spread over the whole database (every type), as a SIEM's
  // enrichment calls would, rather than one row that stays hot in every cache.
  const LOOKUP_VALUES = 4096;
  const lookupPaths = Array.from({ length: LOOKUP_VALUES }, (_, i) => {
    const n = Math.floor(((i + 0.5) * IOCS) / LOOKUP_VALUES);
    return `/api/v1/lookup?ioc=${encodeURIComponent(candidateOf(n).value)}`;
  });
  await store.close();

  const cfg = join(OUT, 'api-bench.yaml');
  writeFileSync(cfg, `plans:\n  pro:\n    per_minute: ${PLANS.pro.per_minute}\n    per_day: ${PLANS.pro.per_day}\n`);
  const server = await startListening(serveArgs(DB, cfg));
  const figures: Figure[] = [];
  try {
    await waitForIdle(server.child.pid);
    const headers = { authorization: `Bearer ${key}` };
    const listUrl = `${server.url}/api/v1/iocs?limit=100`;
    const sampleBody = Buffer.from(await (await fetch(listUrl, { headers })).arrayBuffer());
    const bodyFile = join(OUT, 'api-bench-page.json');
    writeFileSync(bodyFile, sampleBody);

    // The list and its baseline run in alternation, ROUNDS times each, both servers up: this
    // machine's speed drifts by a quarter within minutes (baselines of 13.8k to 20.7k req/s in
    // one afternoon), so a ratio of two runs taken a minute apart measured the drift as much as
    // the server. Each round's ratio compares runs seconds apart; the median round is reported.
    const baseline = await startListening(['bench/api.ts', '--baseline', bodyFile], /^baseline listening on (\S+)/);
    const rounds: Array<{ list: LoadResult; base: LoadResult }> = [];
    try {
      const baseUrl = `${baseline.url}/api/v1/iocs`;
      await autocannon({ url: listUrl, connections: CONNECTIONS, duration: 2, headers });
      await autocannon({ url: baseUrl, connections: CONNECTIONS, duration: 2 });
      for (let r = 0; r < ROUNDS; r++) rounds.push({ list: await load(listUrl, headers), base: await load(baseUrl, {}) });
    } finally {
      await stopChild(baseline.child);
    }
    const byRatio = [...rounds].sort((a, b) => a.list.rps / a.base.rps - b.list.rps / b.base.rps);
    const median = byRatio[Math.floor(byRatio.length / 2)] as (typeof rounds)[number];
    const list = { ...median.list, p99: Math.max(...rounds.map((r) => r.list.p99)), errors: rounds.reduce((n, r) => n + r.list.errors, 0) };
    const base = median.base;
    for (const [i, r] of rounds.entries()) {
      process.stdout.write(`  round ${i + 1}: list ${Math.round(r.list.rps)} req/s, baseline ${Math.round(r.base.rps)} req/s, ratio ${(r.list.rps / r.base.rps).toFixed(2)}\n`);
    }

    const lookupUrl = `${server.url}${lookupPaths[0] as string}`;
    const hasLookup = (await fetch(lookupUrl, { headers })).status === 200;
    if (hasLookup) {
      // Every value must be found: a miss would measure the cheaper not-found answer.
      for (const path of lookupPaths.slice(0, 64)) {
        const found = ((await (await fetch(`${server.url}${path}`, { headers })).json()) as { found?: boolean }).found;
        if (found !== true) throw new Error(`lookup bench value not found: ${path}`);
      }
    }
    const lookup = hasLookup ? await load(lookupUrl, headers, lookupPaths) : null;
    await stopChild(server.child);
    let floor: LoadResult | null = null;
    if (hasLookup) {
      const bare = await startListening(['bench/api.ts', '--lookup-floor', DB], /^lookup floor listening on (\S+)/);
      try {
        const url = `${bare.url}${lookupPaths[0] as string}`;
        await autocannon({ url, connections: CONNECTIONS, duration: 2 });
        floor = await load(url, {}, lookupPaths);
      } finally {
        await stopChild(bare.child);
      }
    }

    process.stdout.write(
      `IOCs: ${IOCS.toLocaleString('en-US')}, page: ${sampleBody.length.toLocaleString('en-US')} bytes, ` +
        `${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} list/baseline rounds\n`,
    );
    figures.push(
      { name: 'GET /iocs?limit=100', value: list.rps, unit: 'req/s', target: { op: '>=', value: 5000 } },
      { name: 'GET /iocs?limit=100 p99 latency (worst round)', value: list.p99, unit: 'ms', target: { op: '<=', value: 25 } },
      { name: 'GET /iocs?limit=100 non-2xx/errors', value: list.errors, unit: 'responses', target: { op: '<=', value: 0 } },
      { name: 'baseline: same bytes from memory', value: base.rps, unit: 'req/s' },
      { name: 'GET /iocs / baseline (median round)', value: list.rps / base.rps, unit: 'ratio', target: { op: '>=', value: 0.5 } },
    );
    if (lookup) {
      figures.push(
        { name: 'GET /lookup', value: lookup.rps, unit: 'req/s', target: { op: '>=', value: 15_000 } },
        { name: 'GET /lookup p99 latency', value: lookup.p99, unit: 'ms' },
        { name: 'GET /lookup non-2xx/errors', value: lookup.errors, unit: 'responses', target: { op: '<=', value: 0 } },
        ...(floor ? [{ name: 'lookup floor: its own work on a bare route', value: floor.rps, unit: 'req/s' }] : []),
      );
    } else {
      process.stdout.write('GET /api/v1/lookup: route absent, not measured\n');
    }
    figures.push(
      { name: 'auth: key row by hash (in-process)', value: authUs, unit: 'µs/op' },
      { name: 'quota: exact count, 2 windows (in-process)', value: quotaUs, unit: 'µs/op' },
    );
  } finally {
    await stopChild(server.child);
  }
  if (!report(figures)) process.exitCode = 1;
}

const baselineAt = process.argv.indexOf('--baseline');
const floorAt = process.argv.indexOf('--lookup-floor');
if (baselineAt > 0) await serveBaseline(process.argv[baselineAt + 1] ?? '');
else if (floorAt > 0) await serveLookupFloor(process.argv[floorAt + 1] ?? '');
else await main();
