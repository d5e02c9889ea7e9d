/**
 * TAXII benchmark (`npm run bench -- taxii`): a client pages the All IOCs collection of a real
 * `socd serve` process with limit=1000 from start to end, at 10,000, 100,000 and 1,000,000 IOCs
 * (one SQLite database grown between sizes), and reports objects per second, time per page and
 * the server's peak RSS. Then the same client pages the same 4,000 indicators from medallion (the
 * OASIS reference TAXII server, memory backend, from .venv) and from our server, and reports both
 * rates and their ratio.
 *
 * The client is what a poller does: fetch a page with the TAXII Accept header and Basic auth,
 * parse the JSON, follow `next` while `more`. Targets (issue 4): at least 50,000 objects/s with
 * the time per page flat as the collection grows; at least 100 times medallion's rate.
 *
 * Before each timed pass the server finishes its start-up work (it goes idle) and is warmed
 * without touching the renderings of the pass: the manifest of All IOCs to the end (database,
 * HTTP, auth and quota paths), a page of its shared objects, and 3,000 IOCs of the STIX export
 * (the same renderer; it caches nothing). The rendering cache (taxii-render-cache.ts) thus
 * starts empty for the timed pass; it
 * still renders each next page while the client reads the current one, as in production.
 *
 * Environment: TAXII_BENCH_SIZES (default 10000,100000,1000000), TAXII_BENCH_MEDALLION=0 skips
 * medallion.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { iocId } from '../src/domain/ids.js';
import type { IocCandidate, IocRecord } from '../src/domain/ioc.js';
import type { IocType } from '../src/domain/vocabulary.js';
import { renderStixJson } from '../src/export/stix.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';
import { benchCandidate, benchValue } from './fixtures.js';
import { createProKey, peakRssOfPid, serveArgs, startListening, stopChild, upsertRange, waitForIdle } from './http.js';
import { report, type Figure } from './report.js';

const SIZES = (process.env.TAXII_BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const MEDALLION_OBJECTS = 4000;
const PAGE = 1000;
const ACCEPT = 'application/taxii+json;version=2.1';
const MEDALLION = resolve('.venv/bin/medallion');

const TYPES: IocType[] = ['ipv4', 'domain', 'url', 'sha256', 'md5', 'cve'];

/** The n-th synthetic IOC: distinct canonical values of the common feed types. */
function candidateOf(n: number, feed: string): IocCandidate {
  const type = TYPES[n % TYPES.length] as IocType;
  return benchCandidate(n, {
    type,
    value: benchValue(type, n),
    seen: '2026-11-20T10:00:00.000Z',
    feed,
    mitre: n % 3 === 0 ? ['T1071'] : [],
  });
}

async function grow(store: Store, from: number, to: number): Promise<number> {
  const t = performance.now();
  await upsertRange(store, from, to, (n) => candidateOf(n, 'bench-feed'));
  return (to - from) / ((performance.now() - t) / 1000);
}

interface RunningServer {
  url: string;
  child: ChildProcess;
  /** Peak resident set size of the server process so far (Linux /proc), in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

async function startSocd(dbUrl: string): Promise<RunningServer> {
  // Quotas are counted in the database as they are in production, under a plan that allows the run.
  const dir = mkdtempSync(join(tmpdir(), 'socd-bench-cfg-'));
  const cfg = join(dir, 'socd.yaml');
  writeFileSync(cfg, 'plans:\n  pro:\n    per_minute: 100000000\n    per_day: 1000000000\n');
  const { url, child } = await startListening(serveArgs(dbUrl, cfg));
  return {
    url,
    child,
    peakRssMb: () => peakRssOfPid(child.pid),
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface PagingResult {
  objects: number;
  pages: number;
  seconds: number;
  pageMs: number[];
}

/**
 * Warm the server's code paths without putting any IOC of the collection in the TAXII render
 * cache (see the file comment): the manifest, the shared objects, and a few pages of the STIX
 * export, which runs the same renderer but keeps nothing. Before that, wait for the start-up
 * work of `socd serve` (the dashboard overview count) to finish, or the first pages measure it.
 */
async function warmUp(server: RunningServer, collectionUrl: string, authorization: string): Promise<void> {
  await waitForIdle(server.child.pid);
  await pageAll(`${collectionUrl}manifest/`, authorization);
  await pageAll(`${collectionUrl}objects/?match[type]=identity,marking-definition`, authorization);
  for (let offset = 0; offset < 3000; offset += 1000) {
    const res = await fetch(`${server.url}/api/v1/iocs/stix?status=all&limit=1000&offset=${offset}`, { headers: { authorization } });
    if (res.status !== 200) throw new Error(`warm-up /api/v1/iocs/stix: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }
}

/** The client: page a collection's objects to the end by `next`, parsing every page. */
async function pageAll(objectsUrl: string, authorization: string): Promise<PagingResult> {
  const pageMs: number[] = [];
  let objects = 0;
  let next: string | undefined;
  const start = performance.now();
  for (;;) {
    const u = new URL(objectsUrl);
    u.searchParams.set('limit', String(PAGE));
    u.searchParams.delete('next');
    if (next !== undefined) u.searchParams.set('next', next);
    const t = performance.now();
    const res = await fetch(u, { headers: { accept: ACCEPT, authorization } });
    if (res.status !== 200) throw new Error(`${u.toString()}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { more?: boolean; next?: string; objects?: unknown[] };
    pageMs.push(performance.now() - t);
    objects += body.objects?.length ?? 0;
    if (!body.more) break;
    if (typeof body.next !== 'string') throw new Error('more without next');
    next = body.next;
  }
  return { objects, pages: pageMs.length, seconds: (performance.now() - start) / 1000, pageMs };
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? Number.NaN;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
    srv.once('error', fail);
  });
}

/** medallion with one collection of the STIX objects our renderer makes of the first n IOCs. */
async function startMedallion(dir: string, n: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const objects: unknown[] = [];
  const manifest: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const c = candidateOf(i, 'bench-feed');
    const record: IocRecord = {
      id: iocId(c.type, c.value),
      type: c.type,
      value: c.value,
      confidence: c.confidence,
      first_seen: c.source.first_seen,
      last_seen: c.source.last_seen,
      source: { ...c.source },
      context: null,
      tags: c.tags,
      mitre_techniques: c.mitre_techniques,
      sources: [c.source],
      industries: [],
      threat_type: c.threat_type,
      malware: c.malware,
      tlp: 'clear',
      expires_at: null,
      status: 'active',
      updated_at: new Date(Date.UTC(2026, 10, 20) + i).toISOString().replace('Z', '000Z'),
      version: i + 1,
    };
    const o = JSON.parse(renderStixJson(record)) as { id: string; modified: string };
    objects.push(o);
    manifest.push({ id: o.id, date_added: record.updated_at, version: o.modified, media_type: 'application/stix+json;version=2.1' });
  }
  const collection = '9c4e8f2a-6b1d-4e3f-8a7c-5d2b1e0f9a8c';
  writeFileSync(
    join(dir, 'data.json'),
    JSON.stringify({
      '/discovery': { title: 'medallion bench', default: '/bench/', api_roots: ['/bench/'] },
      bench: {
        information: { title: 'bench', versions: [ACCEPT], max_content_length: 100_000_000 },
        status: [],
        collections: [
          { id: collection, title: 'bench', can_read: true, can_write: false, media_types: ['application/stix+json;version=2.1'], objects, manifest },
        ],
      },
    }),
  );
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      backend: { module: 'medallion.backends.memory_backend', module_class: 'MemoryBackend', filename: join(dir, 'data.json') },
      users: { bench: 'bench-password' },
      taxii: { max_page_size: PAGE },
    }),
  );
  const port = await freePort();
  const child = spawn(MEDALLION, ['--host', '127.0.0.1', '--port', String(port), join(dir, 'config.json')], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`${base}/taxii2/`, { headers: { accept: ACCEPT, authorization: basic('bench', 'bench-password') } });
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 600 || child.exitCode !== null) throw new Error('medallion did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `${base}/bench/collections/${collection}/objects/`, stop: () => stopChild(child) };
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'socd-bench-taxii-'));
  try {
    // 1. Our server at growing collection sizes.
    const dbUrl = join(dir, 'taxii.db');
    const store = await openStore(dbUrl);
    await store.migrate();
    const { key } = await createProKey(store, 'bench@example.com');
    let have = 0;
    const pageTimes: Array<{ size: number; ms: number }> = [];
    for (const size of SIZES) {
      const rate = await grow(store, have, size);
      have = size;
      process.stdout.write(`loaded ${size.toLocaleString('en-US')} IOCs (${Math.round(rate).toLocaleString('en-US')} upserts/s)\n`);
      const server = await startSocd(dbUrl);
      try {
        const collection = `${server.url}/api/taxii2/api/collections/all-iocs/`;
        await warmUp(server, collection, basic('apikey', key));
        const r = await pageAll(`${collection}objects/`, basic('apikey', key));
        if (r.objects < size) throw new Error(`paged ${r.objects} objects of ${size}`);
        const label = size.toLocaleString('en-US');
        figures.push({ name: `taxii all-iocs ${label}: objects/s`, value: r.objects / r.seconds, unit: 'obj/s', target: { op: '>=', value: 50_000 } });
        figures.push({ name: `taxii all-iocs ${label}: time per page (mean)`, value: mean(r.pageMs), unit: 'ms' });
        figures.push({ name: `taxii all-iocs ${label}: time per page (p95)`, value: percentile(r.pageMs, 0.95), unit: 'ms' });
        figures.push({ name: `taxii all-iocs ${label}: last 10% of pages (mean)`, value: mean(r.pageMs.slice(-Math.max(1, Math.floor(r.pages / 10)))), unit: 'ms' });
        figures.push({ name: `taxii all-iocs ${label}: server peak RSS`, value: server.peakRssMb(), unit: 'MB' });
        pageTimes.push({ size, ms: mean(r.pageMs) });
      } finally {
        await server.stop();
      }
    }
    const first = pageTimes[0];
    const last = pageTimes[pageTimes.length - 1];
    if (first && last && last !== first) {
      figures.push({
        name: `taxii page time ${last.size.toLocaleString('en-US')} / ${first.size.toLocaleString('en-US')} (flat = 1)`,
        value: last.ms / first.ms,
        unit: 'x',
        target: { op: '<=', value: 1.5 },
      });
    }
    await store.close();

    // 2. The same 4,000 indicators from medallion and from us, with the same client.
    if (process.env.TAXII_BENCH_MEDALLION !== '0') {
      if (!existsSync(MEDALLION)) throw new Error(`${MEDALLION} is missing: install .ci/requirements-interop.txt into .venv`);
      const smallUrl = join(dir, 'small.db');
      const small = await openStore(smallUrl);
      await small.migrate();
      const { key: smallKey } = await createProKey(small, 'bench-small@example.com');
      await grow(small, 0, MEDALLION_OBJECTS);
      await small.close();
      const ours = await startSocd(smallUrl);
      let oursRate: number;
      try {
        const collection = `${ours.url}/api/taxii2/api/collections/all-iocs/`;
        await warmUp(ours, collection, basic('apikey', smallKey));
        const r = await pageAll(`${collection}objects/`, basic('apikey', smallKey));
        oursRate = r.objects / r.seconds;
      } finally {
        await ours.stop();
      }
      const med = await startMedallion(dir, MEDALLION_OBJECTS);
      let medRate: number;
      try {
        const r = await pageAll(med.url, basic('bench', 'bench-password'));
        if (r.objects !== MEDALLION_OBJECTS) throw new Error(`medallion served ${r.objects} objects of ${MEDALLION_OBJECTS}`);
        medRate = r.objects / r.seconds;
        figures.push({ name: `medallion ${MEDALLION_OBJECTS.toLocaleString('en-US')}: time per page (mean)`, value: mean(r.pageMs), unit: 'ms' });
      } finally {
        await med.stop();
      }
      figures.push({ name: `socd ${MEDALLION_OBJECTS.toLocaleString('en-US')} indicators: objects/s`, value: oursRate, unit: 'obj/s' });
      figures.push({ name: `medallion ${MEDALLION_OBJECTS.toLocaleString('en-US')} indicators: objects/s`, value: medRate, unit: 'obj/s' });
      figures.push({ name: 'socd / medallion', value: oursRate / medRate, unit: 'x', target: { op: '>=', value: 100 } });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!report(figures)) process.exitCode = 1;
}

await main();
