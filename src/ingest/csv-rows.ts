import { Readable, pipeline } from 'node:stream';
import { parse, type CsvError, type Info } from 'csv-parse';
import { dataLines, type NumberedLine } from './lines.js';

/** One CSV record with the line it came from. */
export interface CsvRow {
  kind: 'row';
  line: number;
  fields: string[];
}

/** A line that is not a readable CSV record; the lines after it are still read. */
export interface CsvBadRow {
  kind: 'bad-row';
  line: number;
  message: string;
}

export interface CsvRowsOptions {
  /** Field delimiter; default `,`. ThreatFox and MalwareBazaar write `, ` (comma and blank). */
  delimiter?: string;
  /** Characters that start a comment line; default `#`. */
  commentMarkers?: string;
  /** Sees every comment line, e.g. to pick up abuse.ch's commented header `# id,dateadded,...`. */
  onComment?: (line: NumberedLine) => void;
}

// Flush lines to csv-parse in chunks of about this many characters (fewer stream writes).
const CHUNK_CHARS = 64 * 1024;

/**
 * Streams the records of a line-oriented CSV feed with csv-parse, each with its 1-based line
 * number in the input. Comment and blank lines are skipped.
 *
 * IOC feeds hold one record per line, so a line whose quotes do not balance is reported as a
 * bad row on its own, instead of letting an open quote swallow the lines after it; every other
 * unreadable record is reported too, and reading goes on.
 *
 * @example
 * for await (const r of readCsvRows(createReadStream('urlhaus.csv'))) if (r.kind === 'row') use(r.fields);
 */
export async function* readCsvRows(
  input: AsyncIterable<Buffer | string>,
  options: CsvRowsOptions = {},
): AsyncGenerator<CsvRow | CsvBadRow> {
  // Line numbers of the lines handed to csv-parse, in order: its k-th line is fed[k - 1 - dropped].
  const fed: number[] = [];
  let dropped = 0;
  const lineOf = (csvLine: number): number => fed[csvLine - 1 - dropped] ?? 0;
  const forget = (csvLine: number): void => {
    // Lines before this one are done; keep the FIFO short on long feeds.
    const n = csvLine - 1 - dropped;
    if (n > 4096) {
      fed.splice(0, n);
      dropped += n;
    }
  };

  const early: CsvBadRow[] = [];
  const skipped: Array<{ csvLine: number; message: string }> = [];
  let inputError: unknown = null;

  async function* feed(): AsyncGenerator<string> {
    let chunk = '';
    try {
      for await (const l of dataLines(input, options.commentMarkers ?? '#', options.onComment)) {
        if (countQuotes(l.text) % 2 === 1) {
          early.push({ kind: 'bad-row', line: l.line, message: 'unbalanced quotes' });
          continue;
        }
        fed.push(l.line);
        chunk += `${l.text}\n`;
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
    } catch (err) {
      inputError = err;
      throw err;
    }
    if (chunk) yield chunk;
  }

  const parser = parse({
    delimiter: options.delimiter ?? ',',
    record_delimiter: '\n',
    relax_quotes: true,
    relax_column_count: true,
    skip_records_with_error: true,
    info: true,
    on_skip: (err: CsvError | undefined) => {
      skipped.push({ csvLine: typeof err?.lines === 'number' ? err.lines : 0, message: err?.message ?? 'unreadable CSV record' });
    },
  });
  pipeline(Readable.from(feed()), parser, () => {
    // Errors surface through the record iterator below.
  });

  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const csvLine = item.info.lines;
      yield* drain(early, skipped, csvLine, lineOf);
      yield { kind: 'row', line: lineOf(csvLine), fields: item.record };
      forget(csvLine);
    }
  } catch (err) {
    if (inputError !== null) throw inputError;
    const message = err instanceof Error ? err.message : String(err);
    yield* drain(early, skipped, Number.POSITIVE_INFINITY, lineOf);
    yield { kind: 'bad-row', line: lineOf(fed.length + dropped), message: `unreadable CSV: ${message}` };
    return;
  }
  yield* drain(early, skipped, Number.POSITIVE_INFINITY, lineOf);
}

/** Yields the bad rows found before csv-parse line `upTo`, in input order. */
function* drain(
  early: CsvBadRow[],
  skipped: Array<{ csvLine: number; message: string }>,
  upTo: number,
  lineOf: (csvLine: number) => number,
): Generator<CsvBadRow> {
  const pending: CsvBadRow[] = [];
  while (skipped.length > 0 && (skipped[0]?.csvLine ?? 0) < upTo) {
    const s = skipped.shift();
    if (s) pending.push({ kind: 'bad-row', line: lineOf(s.csvLine), message: s.message });
  }
  const limit = upTo === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : lineOf(upTo);
  while (early.length > 0 && (early[0]?.line ?? 0) < limit) {
    const e = early.shift();
    if (e) pending.push(e);
  }
  pending.sort((a, b) => a.line - b.line);
  yield* pending;
}

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n;
}

/** Column names from a header line, commented or not: `# "a","b"` and `a, b` both give `['a', 'b']`. */
export function headerNames(text: string): string[] {
  return text
    .replace(/^[\s#;]+/, '')
    .split(',')
    .map((name) => name.trim().replace(/^"(.*)"$/, '$1').trim().toLowerCase());
}

/** Column positions by name. */
export type Columns<K extends string> = Readonly<Record<K, number>>;

/**
 * Where each of a format's official columns sits: taken from `header` when it names them all
 * (so a feed that reorders its columns still reads right), else the official order.
 */
export function columnsFrom<K extends string>(header: readonly string[] | null, official: readonly K[]): Columns<K> {
  const byName = {} as Record<K, number>;
  const useHeader = header !== null && official.every((name) => header.includes(name));
  official.forEach((name, i) => {
    byName[name] = useHeader ? header.indexOf(name) : i;
  });
  return byName;
}

/** The value of a named column in a row ('' when the row is short). */
export function field<K extends string>(row: readonly string[], columns: Columns<K>, name: K): string {
  return row[columns[name]] ?? '';
}
