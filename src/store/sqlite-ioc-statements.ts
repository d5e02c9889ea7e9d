import { CompiledQuery, type Kysely } from 'kysely';
import { IOC_COLUMNS, IOC_SOURCE_COLUMNS, type RowValues } from './ioc-doc.js';
import { IOC_UPDATE_COLUMNS, SOURCE_UPDATE_COLUMNS, type IocKey, type IocStatements, type TouchValues } from './ioc-statements.js';
import { runRaw } from './raw-query.js';
import type { Database } from './schema.js';

/**
 * SQLite: statements with 256, 64, 16, 4 or 1 rows, so a batch of any size runs through a
 * handful of prepared statements that the statement cache keeps (at most 26 × 256 = 6,656
 * parameters, well under SQLite's 32,766).
 */
const SIZES = [256, 64, 16, 4, 1] as const;

/** Splits `count` items greedily into the fixed statement sizes: [start, size] ranges. */
function* sizedRanges(count: number): Generator<[number, number]> {
  let i = 0;
  while (i < count) {
    const size = SIZES.find((s) => s <= count - i) ?? 1;
    yield [i, size];
    i += size;
  }
}

/** The items in slices of the fixed statement sizes. */
function* sizedSlices<T>(items: readonly T[]): Generator<T[]> {
  for (const [start, size] of sizedRanges(items.length)) yield items.slice(start, start + size);
}

function memo(build: (rows: number) => string): (rows: number) => string {
  const cache = new Map<number, string>();
  return (rows) => {
    let text = cache.get(rows);
    if (text === undefined) {
      text = build(rows);
      cache.set(rows, text);
    }
    return text;
  };
}

const tuples = (rows: number, width: number): string => Array(rows).fill(`(${Array(width).fill('?').join(',')})`).join(',');

const selectDocs = memo((n) => `select doc from iocs where type = ? and value in (${Array(n).fill('?').join(',')})`);

const upsertIocsSql = memo(
  (n) =>
    `insert into iocs (${IOC_COLUMNS.join(',')}) values ${tuples(n, IOC_COLUMNS.length)} ` +
    `on conflict (type, value) do update set ${IOC_UPDATE_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`,
);

const touchIocsSql = memo(
  (n) =>
    `update iocs set last_seen = v.column2, expires_at = v.column3, doc = v.column4 ` +
    `from (values ${tuples(n, 4)}) as v where iocs.id = v.column1`,
);

const upsertSourcesSql = memo(
  (n) =>
    `insert into ioc_sources (${IOC_SOURCE_COLUMNS.join(',')}) values ${tuples(n, IOC_SOURCE_COLUMNS.length)} ` +
    `on conflict (ioc_id, feed_name) do update set ${SOURCE_UPDATE_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, ` +
    `occurrences = ioc_sources.occurrences + excluded.occurrences`,
);

async function runRows(trx: Kysely<Database>, rows: readonly (readonly unknown[])[], text: (n: number) => string): Promise<void> {
  for (const [start, size] of sizedRanges(rows.length)) {
    // The rows' values, flattened straight into the one array that is bound (no per-slice copies).
    const params: unknown[] = [];
    for (let r = start; r < start + size; r++) for (const v of rows[r] as readonly unknown[]) params.push(v);
    await trx.executeQuery(CompiledQuery.raw(text(size), params));
  }
}

export const sqliteIocStatements: IocStatements = {
  // The single connection and BEGIN IMMEDIATE already serialize writers.
  lockWriters: async () => undefined,
  // synchronous = NORMAL in WAL mode already skips the sync on commit.
  relaxCommit: async () => undefined,

  async loadDocs(trx, keys: readonly IocKey[]) {
    const byType = new Map<string, string[]>();
    for (const k of keys) {
      const values = byType.get(k.type);
      if (values) values.push(k.value);
      else byType.set(k.type, [k.value]);
    }
    const docs: string[] = [];
    for (const [type, values] of byType) {
      for (const slice of sizedSlices(values)) {
        const rows = await runRaw<{ doc: string }>(trx, selectDocs(slice.length), [type, ...slice]);
        for (const r of rows) docs.push(r.doc);
      }
    }
    return docs;
  },

  upsertIocs: (trx, rows: readonly RowValues[]) => runRows(trx, rows, upsertIocsSql),
  touchIocs: (trx, rows: readonly TouchValues[]) => runRows(trx, rows, touchIocsSql),
  upsertSources: (trx, rows: readonly RowValues[]) => runRows(trx, rows, upsertSourcesSql),
};
