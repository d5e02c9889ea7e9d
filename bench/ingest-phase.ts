/**
 * One measured phase of the ingest benchmark, run in its own process so its peak RSS is its
 * own. Prints one JSON line: { phase, seconds, rows, peakRssMb, summary }.
 *   ingest <db-url> <file> <now-iso>   full path: parse (list), detect, normalize, dedupe, store
 *   raw-sqlite <db-path> <file>        baseline: the same rows, pre-rendered, straight into
 *                                      better-sqlite3 (unique (type, value), 10k-row transactions)
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { iocId } from '../src/domain/ids.js';
import { normalize } from '../src/domain/normalize.js';
import { runIngest } from '../src/ingest/runner.js';
import { openStore } from '../src/store/open.js';
import { peakRssMb } from './report.js';

const [phase, target, file, nowIso] = process.argv.slice(2);

async function ingest(): Promise<void> {
  const store = await openStore(target as string);
  await store.migrate();
  const t0 = performance.now();
  const summary = await runIngest({
    store,
    input: createReadStream(file as string, { highWaterMark: 1 << 20 }),
    format: 'list',
    defaults: { feed_name: 'bench', category: 'community', confidence: 'medium' },
    ttlDays: {},
    now: new Date(nowIso as string),
  });
  const seconds = (performance.now() - t0) / 1000;
  await store.close();
  const { problems: _p, ...counts } = summary;
  print({ phase: 'ingest', seconds, rows: summary.parsed, peakRssMb: peakRssMb(), summary: counts });
}

/** The raw-insert baseline: what better-sqlite3 alone does with rows of the same size. */
async function rawSqlite(): Promise<void> {
  // Prepare the rows first (outside the timing): what the store would write for each IOC.
  const rows: Array<[string, string, string, string]> = [];
  const lines = createInterface({ input: createReadStream(file as string), crlfDelay: Infinity });
  for await (const line of lines) {
    const r = normalize(line);
    if (!r.ok) continue;
    const id = iocId(r.type, r.value);
    rows.push([id, r.type, r.value, JSON.stringify({ id, type: r.type, value: r.value, confidence: 'medium', first_seen: nowIso, last_seen: nowIso, source: { feed_name: 'bench', category: 'community', origin: 'feed' }, tags: [], sources: [] })]);
  }
  const db = new Database(target as string);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, type TEXT NOT NULL, value TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL, UNIQUE (type, value))');
  const insert = db.prepare('INSERT INTO t (id, type, value, version, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT (type, value) DO UPDATE SET doc = excluded.doc');
  const t0 = performance.now();
  const chunk = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const r = rows[i] as [string, string, string, string];
      insert.run(r[0], r[1], r[2], i + 1, r[3]);
    }
  });
  for (let i = 0; i < rows.length; i += 10_000) chunk(i, Math.min(rows.length, i + 10_000));
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  print({ phase: 'raw-sqlite', seconds, rows: rows.length, peakRssMb: peakRssMb() });
}

function print(o: object): void {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

if (phase === 'ingest') await ingest();
else if (phase === 'raw-sqlite') await rawSqlite();
else throw new Error(`unknown phase ${phase}`);
