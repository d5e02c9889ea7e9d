/**
 * Ingest benchmark (foundation issue): 1,000,000 generated IOCs of mixed types through the full
 * parse, normalize, dedupe and store path, into SQLite and (with DATABASE_URL_PG) PostgreSQL;
 * a re-ingest of the same feed an hour later; and the raw better-sqlite3 bulk insert of the
 * same rows as the baseline, all in this run. BENCH_INGEST_COUNT overrides the size.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generateListFile } from './generate.js';
import { report, type Figure } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'out');
const COUNT = Number(process.env.BENCH_INGEST_COUNT ?? 1_000_000);
const file = join(out, `iocs-${COUNT}.txt`);
const T0 = '2026-11-01T00:00:00.000Z';
const T1 = '2026-11-01T01:00:00.000Z';

interface PhaseResult {
  phase: string;
  seconds: number;
  rows: number;
  peakRssMb: number;
  summary?: Record<string, number>;
}

function phase(...args: string[]): PhaseResult {
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'ingest-phase.ts'), ...args], { encoding: 'utf8', env: process.env });
  if (res.status !== 0) throw new Error(`phase ${args[0]} failed:\n${res.stderr}`);
  const line = res.stdout.trim().split('\n').pop() as string;
  const r = JSON.parse(line) as PhaseResult;
  process.stdout.write(`  ${args[0]} ${args[1]?.startsWith('postgres') ? '(postgres)' : ''}: ${r.rows} rows in ${r.seconds.toFixed(2)} s, peak RSS ${r.peakRssMb.toFixed(0)} MB${r.summary ? ` ${JSON.stringify(r.summary)}` : ''}\n`);
  return r;
}

mkdirSync(out, { recursive: true });
await generateListFile(file, COUNT);
const sqlitePath = join(out, 'ingest-bench.db');
const rawPath = join(out, 'raw-bench.db');
for (const p of [sqlitePath, rawPath]) for (const s of ['', '-wal', '-shm']) rmSync(p + s, { force: true });

const first = phase('ingest', sqlitePath, file, T0);
const again = phase('ingest', sqlitePath, file, T1);
const raw = phase('raw-sqlite', rawPath, file, T0);
const rate = (r: PhaseResult): number => r.rows / r.seconds;
const figures: Figure[] = [
  { name: 'SQLite first ingest', value: rate(first), unit: 'IOCs/s', target: { op: '>=', value: 100_000 } },
  { name: 'SQLite re-ingest (same feed, 1 h later)', value: rate(again), unit: 'IOCs/s' },
  { name: 'SQLite re-ingest speed-up', value: rate(again) / rate(first), unit: 'x', target: { op: '>=', value: 2 } },
  { name: 'raw better-sqlite3 bulk insert', value: rate(raw), unit: 'rows/s' },
  { name: 'SQLite ingest / raw insert', value: rate(first) / rate(raw), unit: 'ratio' },
  { name: 'SQLite peak RSS (first ingest)', value: first.peakRssMb, unit: 'MB', target: { op: '<=', value: 300 } },
  { name: 'SQLite peak RSS (re-ingest)', value: again.peakRssMb, unit: 'MB', target: { op: '<=', value: 300 } },
];

const pgUrl = process.env.DATABASE_URL_PG;
if (pgUrl) {
  const name = `socd_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  try {
    const pgFirst = phase('ingest', url.toString(), file, T0);
    const pgAgain = phase('ingest', url.toString(), file, T1);
    figures.push(
      { name: 'PostgreSQL first ingest', value: rate(pgFirst), unit: 'IOCs/s', target: { op: '>=', value: 50_000 } },
      { name: 'PostgreSQL re-ingest', value: rate(pgAgain), unit: 'IOCs/s' },
      { name: 'PostgreSQL re-ingest speed-up', value: rate(pgAgain) / rate(pgFirst), unit: 'x', target: { op: '>=', value: 2 } },
      { name: 'PostgreSQL peak RSS', value: Math.max(pgFirst.peakRssMb, pgAgain.peakRssMb), unit: 'MB', target: { op: '<=', value: 300 } },
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
} else {
  process.stdout.write('  (DATABASE_URL_PG not set: PostgreSQL ingest not measured)\n');
}
process.stdout.write(`\ningest benchmark, ${COUNT.toLocaleString('en-US')} IOCs of mixed types (list format, types detected):\n`);
if (!report(figures)) process.exitCode = 1;
