/**
 * Export benchmark (`npm run bench -- exports`), issue 7: for each document export (STIX
 * bundle, MISP event, OpenIOC, CEF, RFC 5424 syslog), IOCs per second for 100,000 IOCs and peak
 * RSS.
 *
 * 1. Renderer: 100,000 IOC documents (the pre-rendered JSON the store keeps), parsed and rendered
 *    as the routes do, one 1,000-document chunk at a time, into a sink that counts bytes. Each
 *    format runs in its own child process (`bench/exports.ts --render <format>`), so its peak RSS
 *    is its own.
 * 2. HTTP: a real `socd serve` on SQLite holding 100,000 IOCs (IPs, domains, URLs, hashes, e-mail
 *    senders); a client streams `GET /api/v1/iocs/<format>?limit=100000` (the pro plan raised for
 *    the run) and counts IOCs as they arrive. A fresh server per format, so each server peak RSS
 *    is that format's; its growth from a 10,000-IOC response to the 100,000-IOC one shows the
 *    body streams rather than accumulates. Baseline in the same run: the same IOCs as NDJSON (pre-rendered documents
 *    concatenated), and each format's rate as a ratio of it.
 *
 * Environment: EXPORTS_BENCH_IOCS (default 100000).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iocId } from '../src/domain/ids.js';
import type { IocCandidate, IocRecord } from '../src/domain/ioc.js';
import type { IocType } from '../src/domain/vocabulary.js';
import { renderCefLine } from '../src/export/cef.js';
import { mispEventUuid, MispEventWriter } from '../src/export/misp.js';
import { openIocDocumentId, OpenIocWriter } from '../src/export/openioc.js';
import { StixExportWriter } from '../src/export/stix-export.js';
import { renderSyslogLine } from '../src/export/syslog.js';
import { openStore } from '../src/store/open.js';
import { benchCandidate, benchRecord, benchValue } from './fixtures.js';
import { createProKey, peakRssOfPid, serveArgs, startListening, stopChild, upsertRange } from './http.js';
import { peakRssMb, report, type Figure } from './report.js';

const IOCS = Number(process.env.EXPORTS_BENCH_IOCS ?? 100_000);
const CHUNK = 1000;
/** A tenth of the run: streaming ten times more should not grow the server's memory much. */
const SMALL = Math.max(1000, Math.floor(IOCS / 10));
const FORMATS = ['stix', 'misp', 'openioc', 'cef', 'syslog'] as const;
type Format = (typeof FORMATS)[number];

/** IOC types every format renders as one item (no CIDR, CVE or technique: counts stay exact). */
const TYPES: IocType[] = ['ipv4', 'domain', 'url', 'sha256', 'md5', 'sha1', 'ipv6', 'email'];

function candidateOf(n: number): IocCandidate {
  const type = TYPES[n % TYPES.length] as IocType;
  return benchCandidate(n, {
    type,
    value: type === 'url' ? `http://host${n}.bench-example.net/gate.php?id=${n}&q=a|b` : benchValue(type, n),
    seen: '2026-11-20T10:00:00.000Z',
    confidence: n % 3 === 0 ? 'high' : 'medium',
    mitre: ['T1071'],
    context: 'Botnet C2 "seen" in the <benchmark> feed; a=b & c|d',
  });
}

function recordOf(n: number): IocRecord {
  const c = candidateOf(n);
  return benchRecord(c, iocId(c.type, c.value), '2026-11-20T10:00:00.000000Z', n + 1);
}

interface Writer {
  head(): string;
  item(r: IocRecord): string;
  tail(): string;
}

function writerOf(format: Format): Writer {
  const now = new Date();
  switch (format) {
    case 'stix':
      return new StixExportWriter({ format: 'bundle', includeIdentity: true, includeMarkings: true, bundleId: 'bundle--6b2c5d0e-1f3a-4c8e-9d7b-2a1e0f9c8b7d' });
    case 'misp': {
      const w = new MispEventWriter({ uuid: mispEventUuid('bench'), info: 'bench', generatedAt: now });
      return { head: () => w.head(), item: (r) => w.attribute(r), tail: () => w.tail() };
    }
    case 'openioc':
      return new OpenIocWriter({ id: openIocDocumentId('bench'), shortDescription: 'bench', description: 'bench', generatedAt: now });
    case 'cef':
      return { head: () => '', item: (r) => `${renderCefLine(r)}\n`, tail: () => '' };
    case 'syslog':
      return { head: () => '', item: (r) => `${renderSyslogLine(r, { hostname: 'bench' })}\n`, tail: () => '' };
  }
}

/** Child process: render IOCS documents in `format`; print {seconds, bytes, peakRssMb}. */
function renderChild(format: Format): void {
  const warm = writerOf(format);
  for (let n = 0; n < 2_000; n++) warm.item(recordOf(IOCS + n));
  const writer = writerOf(format);
  let bytes = writer.head().length;
  let elapsed = 0;
  for (let from = 0; from < IOCS; from += CHUNK) {
    // The store hands routes pre-rendered documents; making them is not part of the export.
    const docs: string[] = [];
    for (let n = from; n < Math.min(IOCS, from + CHUNK); n++) docs.push(JSON.stringify(recordOf(n)));
    const start = performance.now();
    let out = '';
    for (const doc of docs) out += writer.item(JSON.parse(doc) as IocRecord);
    bytes += out.length;
    elapsed += performance.now() - start;
  }
  bytes += writer.tail().length;
  process.stdout.write(JSON.stringify({ seconds: elapsed / 1000, bytes, peakRssMb: peakRssMb() }));
}

function benchRenderers(): Figure[] {
  const figures: Figure[] = [];
  const self = fileURLToPath(import.meta.url);
  for (const format of FORMATS) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', self, '--render', format], { encoding: 'utf8', env: process.env });
    if (run.status !== 0) throw new Error(`renderer ${format} failed: ${run.stderr}`);
    const r = JSON.parse(run.stdout) as { seconds: number; bytes: number; peakRssMb: number };
    figures.push(
      { name: `renderer ${format}: ${IOCS.toLocaleString('en-US')} IOCs`, value: IOCS / r.seconds, unit: 'IOCs/s' },
      { name: `renderer ${format}: peak RSS`, value: r.peakRssMb, unit: 'MB' },
    );
  }
  return figures;
}

/** Stream a response body, counting occurrences of `marker` across chunk boundaries. */
async function streamCount(url: string, key: string, marker: string): Promise<{ count: number; bytes: number; seconds: number }> {
  const start = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  if (res.status !== 200 || !res.body) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  const decoder = new TextDecoder();
  let count = 0;
  let bytes = 0;
  let tail = '';
  for await (const chunk of res.body) {
    bytes += chunk.byteLength;
    const text = tail + decoder.decode(chunk, { stream: true });
    let i = text.indexOf(marker);
    let last = 0;
    while (i >= 0) {
      count++;
      last = i + marker.length;
      i = text.indexOf(marker, last);
    }
    tail = text.slice(Math.max(last, text.length - marker.length + 1));
  }
  return { count, bytes, seconds: (performance.now() - start) / 1000 };
}

/** Path and the text that occurs once per IOC in the answer. */
const HTTP: Record<Format | 'ndjson', { path: string; marker: string }> = {
  stix: { path: '/api/v1/iocs/stix', marker: '"type":"indicator"' },
  misp: { path: '/api/v1/iocs/misp', marker: '"distribution":"5"' },
  openioc: { path: '/api/v1/iocs/openioc', marker: '<IndicatorItem ' },
  cef: { path: '/api/v1/iocs/cef', marker: '\n' },
  syslog: { path: '/api/v1/iocs/cef?format=syslog', marker: '\n' },
  ndjson: { path: '/api/v1/iocs?format=ndjson', marker: '\n' },
};

async function benchHttp(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'socd-bench-exports-'));
  const dbUrl = join(dir, 'socd.db');
  const cfg = join(dir, 'socd.yaml');
  writeFileSync(cfg, `plans:\n  pro:\n    results_per_request: ${IOCS}\n    per_minute: 100000000\n    per_day: 1000000000\n`);
  const store = await openStore(dbUrl);
  await store.migrate();
  await upsertRange(store, 0, IOCS, candidateOf);
  const { key } = await createProKey(store, 'bench@example.com');
  await store.close();

  const figures: Figure[] = [];
  const rates: Partial<Record<Format | 'ndjson', number>> = {};
  try {
    for (const format of ['ndjson', ...FORMATS] as const) {
      const { url, child } = await startListening(serveArgs(dbUrl, cfg));
      try {
        const { path, marker } = HTTP[format];
        const sep = path.includes('?') ? '&' : '?';
        await streamCount(`${url}${path}${sep}limit=1000`, key, marker); // warm-up
        await streamCount(`${url}${path}${sep}limit=${SMALL}`, key, marker);
        const rssSmall = peakRssOfPid(child.pid);
        const all = await streamCount(`${url}${path}${sep}limit=${IOCS}`, key, marker);
        if (all.count !== IOCS) throw new Error(`${format}: expected ${IOCS} IOCs, counted ${all.count}`);
        const rssAll = peakRssOfPid(child.pid);
        rates[format] = IOCS / all.seconds;
        figures.push(
          { name: `http ${format}: ${IOCS.toLocaleString('en-US')} IOCs in one streamed response`, value: IOCS / all.seconds, unit: 'IOCs/s' },
          { name: `http ${format}: response size`, value: all.bytes / 1024 / 1024, unit: 'MB' },
          { name: `http ${format}: server peak RSS`, value: rssAll, unit: 'MB' },
          { name: `http ${format}: peak RSS growth from ${SMALL.toLocaleString('en-US')} to ${IOCS.toLocaleString('en-US')} IOCs`, value: rssAll - rssSmall, unit: 'MB' },
        );
      } finally {
        await stopChild(child);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const format of FORMATS) {
    figures.push({ name: `ratio: ${format} / ndjson`, value: (rates[format] ?? 0) / (rates.ndjson ?? 1), unit: 'x' });
  }
  return figures;
}

const renderIndex = process.argv.indexOf('--render');
if (renderIndex >= 0) {
  const format = process.argv[renderIndex + 1] as Format;
  if (!FORMATS.includes(format)) throw new Error(`unknown format ${String(format)}`);
  renderChild(format);
} else {
  const figures = benchRenderers();
  figures.push(...(await benchHttp()));
  figures.push({ name: 'bench process peak RSS', value: peakRssMb(), unit: 'MB' });
  process.exitCode = report(figures) ? 0 : 1;
}
