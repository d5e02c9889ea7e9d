import type { IocCandidate } from '../domain/ioc.js';
import { normalize } from '../domain/normalize.js';
import type { IocType } from '../domain/vocabulary.js';
import type { AllowlistCheck, Store } from '../store/store.js';
import { mergeCandidates, toCandidate } from './candidate.js';
import { parserFor, type CsvColumnMapping } from './parsers/index.js';
import type { FeedDefaults, FeedFormat, ParseItem } from './types.js';

/** A line the ingest could not use, with why. `code` is a normalize reject code or `parse_error`. */
export interface IngestProblem {
  line: number;
  message: string;
  code?: string;
}

export interface IngestProgress {
  lines: number;
  accepted: number;
  rejected: number;
}

export interface IngestSummary {
  /** Highest line (or record) number read. */
  lines: number;
  /** Indicators the parser read. */
  parsed: number;
  /** Indicators that normalized (before merging duplicates). */
  accepted: number;
  /** Indicators that did not normalize, plus records the parser could not read. */
  rejected: number;
  /** Records skipped on purpose by the parser (not an IOC type of ours, not to_ids...). */
  skipped: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Of added + updated, stored as allowlisted. */
  allowlisted: number;
  /** IOCs (of any feed) marked expired after this run. */
  expired: number;
  /** The first `maxProblems` problems; `rejected` counts them all. */
  problems: IngestProblem[];
}

/** Where the ingest reads from: a stream in a feed format, or items already parsed (a MISP feed directory). */
export type IngestSource =
  | { input: AsyncIterable<Buffer | string>; format: FeedFormat; csv?: CsvColumnMapping }
  | { items: AsyncIterable<ParseItem> };

export type RunIngestOptions = IngestSource & {
  store: Pick<Store, 'openBatchWriter' | 'expireDue'>;
  defaults: FeedDefaults;
  ttlDays: Partial<Record<IocType, number>>;
  allowlist?: AllowlistCheck;
  now?: Date;
  /**
   * Candidates handed to the store at a time; default 2,500. The store groups batches into
   * fewer transactions (Store.openBatchWriter), so this only bounds the memory of one batch:
   * measured on a 1M-IOC ingest, 2,500 kept peak RSS ~30 MB lower than 5,000 at the same speed.
   */
  batchSize?: number;
  /**
   * A sighting that moves a stored last_seen forward by less than this writes nothing; default
   * 6 hours. Feeds re-list the same IOCs every run, and TTLs count in days, so rewriting every
   * row on every hourly run would cost writes and buy nothing.
   */
  lastSeenResolutionMs?: number;
  /**
   * How long one store transaction may stay open; default 1 s. Inside `socd serve` the API's
   * SQLite reads share the connection the ingest writes on and wait for its transaction, so feed
   * runs there pass a shorter one (feed-run.ts).
   */
  transactionMs?: number;
  /** Problems kept in the summary; default 1,000 (all are counted). */
  maxProblems?: number;
  onProgress?: (progress: IngestProgress) => void;
};

/**
 * The input failed midway (a dropped connection, a stalled server, the size guard). Every batch
 * before it is stored, whole; `summary` says how far the run got. A rerun completes the feed.
 */
export const DEFAULT_LAST_SEEN_RESOLUTION_MS = 6 * 3_600_000;

export class IngestInterruptedError extends Error {
  constructor(
    readonly summary: IngestSummary,
    override readonly cause: unknown,
  ) {
    super(`ingest interrupted after ${summary.lines} lines: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'IngestInterruptedError';
  }
}

/**
 * Ingests one feed run: parses the input, normalizes each indicator (a reject is counted with its
 * line and reason, and the good lines still land), merges duplicates within a batch, and hands
 * each batch to one store batch writer (the store dedupes across sources and batches, applies
 * TTLs and the allowlist, and commits several batches per transaction). Then marks due IOCs
 * expired.
 *
 * A killed run leaves whole transactions behind and nothing half-written; running it again
 * completes it (already stored IOCs come back `unchanged`). When the input fails midway, what
 * was read is committed before the IngestInterruptedError.
 *
 * @example
 * const summary = await runIngest({ store, input: createReadStream(path), format: 'feodo',
 *   defaults: feed.defaults, ttlDays: config.ttlDays, allowlist: allow.check });
 */
export async function runIngest(opts: RunIngestOptions): Promise<IngestSummary> {
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  const batchSize = Math.max(1, opts.batchSize ?? 2500);
  const maxProblems = opts.maxProblems ?? 1000;
  const ctx = {
    now,
    ttlDays: opts.ttlDays,
    lastSeenResolutionMs: opts.lastSeenResolutionMs ?? DEFAULT_LAST_SEEN_RESOLUTION_MS,
    ...(opts.allowlist ? { allowlist: opts.allowlist } : {}),
  };
  const summary: IngestSummary = {
    lines: 0,
    parsed: 0,
    accepted: 0,
    rejected: 0,
    skipped: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    allowlisted: 0,
    expired: 0,
    problems: [],
  };
  const report = (p: IngestProblem): void => {
    summary.rejected++;
    if (summary.problems.length < maxProblems) summary.problems.push(p);
  };
  const progress = (): void => opts.onProgress?.({ lines: summary.lines, accepted: summary.accepted, rejected: summary.rejected });

  const writer = opts.store.openBatchWriter(ctx, opts.transactionMs === undefined ? {} : { maxOpenMs: opts.transactionMs });
  let batch = new Map<string, IocCandidate>();
  const flush = async (): Promise<void> => {
    if (batch.size === 0) return;
    const candidates = [...batch.values()];
    batch = new Map();
    const result = await writer.write(candidates);
    summary.added += result.added;
    summary.updated += result.updated;
    summary.unchanged += result.unchanged;
    summary.allowlisted += result.allowlisted;
    progress();
  };

  const items = 'items' in opts ? opts.items : parserFor(opts.format, opts.csv ? { csv: opts.csv } : {}).parse(opts.input);
  const iterator = items[Symbol.asyncIterator]();
  let finished = false;
  let committed = false;
  try {
    for (;;) {
      let next: IteratorResult<ParseItem>;
      try {
        next = await iterator.next();
      } catch (err) {
        finished = true;
        // What was read before the input failed is valid: store it, then report the interruption.
        await flush();
        await writer.close();
        committed = true;
        throw new IngestInterruptedError(summary, err);
      }
      if (next.done) {
        finished = true;
        break;
      }
      const item = next.value;
      if (item.line > summary.lines) summary.lines = item.line;
      if (item.kind === 'skip') {
        summary.skipped++;
        continue;
      }
      if (item.kind === 'problem') {
        report({ line: item.line, message: item.message, code: 'parse_error' });
        continue;
      }
      summary.parsed++;
      const result = normalize(item.value, item.type, { allowInternal: opts.defaults.internal === true });
      if (!result.ok) {
        report({ line: item.line, message: result.reason, code: result.code });
        continue;
      }
      summary.accepted++;
      const candidate = toCandidate(item, result, opts.defaults, nowIso);
      const key = `${candidate.type}\u0000${candidate.value}`;
      const seen = batch.get(key);
      batch.set(key, seen ? mergeCandidates(seen, candidate) : candidate);
      if (batch.size >= batchSize) await flush();
    }
    await flush();
    await writer.close();
    committed = true;
  } finally {
    // A store failure stops the run: roll back the batches not committed yet (a rerun writes
    // them; a failing rollback must not hide the run's own error) and release the input
    // (file, connection) too.
    if (!committed) await writer.abort().catch(() => undefined);
    if (!finished) await iterator.return?.();
  }
  summary.expired = await opts.store.expireDue(now);
  progress();
  return summary;
}
