import type { ControlledTransaction, Kysely } from 'kysely';
import { iocId } from '../domain/ids.js';
import type { IocCandidate, IocRecord } from '../domain/ioc.js';
import type { IocStatus, IocType } from '../domain/vocabulary.js';
import { iocRowValues, parseIocDoc, renderIocDoc, renderStampedDoc, sourceRowValues, stampedRowValues, type RowValues } from './ioc-doc.js';
import type { IocStatements, TouchValues } from './ioc-statements.js';
import { mergeIoc, type IocState } from './merge.js';
import type { Database } from './schema.js';
import type { AllowlistCheck, BatchWriter, UpsertContext, UpsertResult } from './store.js';
import { reserveVersions } from './versions.js';

/**
 * The IOC write path. Every function runs its work in serialized write transactions (see
 * IocStatements.lockWriters), so versions are handed out in commit order.
 */

/** Rows re-checked per transaction by expireDue / applyAllowlist. */
const SCAN_PAGE = 1000;
/**
 * Versioned rows are stamped, rendered and written this many at a time, so a batch's rendered
 * docs and bound parameters never all exist at once (a multiple of the SQLite statement sizes).
 */
const WRITE_CHUNK = 1024;

const keyOf = (type: string, value: string): string => `${type}\n${value}`;

async function inWriteTransaction<T>(db: Kysely<Database>, stmts: IocStatements, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await stmts.lockWriters(trx);
    return work(trx);
  });
}

/** Stamps `states` with fresh versions, in order. */
async function stampVersions(trx: Kysely<Database>, states: readonly IocState[], now: Date): Promise<IocRecord[]> {
  if (states.length === 0) return [];
  const stamps = await reserveVersions(trx, states.length, now);
  return states.map((state, i) => ({ ...state, updated_at: stamps.updatedAt(i), version: stamps.version(i) }));
}

/** Writes `states` with fresh versions (in order), rendering them chunk by chunk. */
async function writeVersioned(trx: Kysely<Database>, stmts: IocStatements, states: readonly IocState[], now: Date): Promise<number> {
  if (states.length === 0) return 0;
  const stamps = await reserveVersions(trx, states.length, now);
  for (let from = 0; from < states.length; from += WRITE_CHUNK) {
    const rows = states.slice(from, from + WRITE_CHUNK).map((state, j) => {
      const updatedAt = stamps.updatedAt(from + j);
      const version = stamps.version(from + j);
      return stampedRowValues(state, updatedAt, version, renderStampedDoc(state, updatedAt, version));
    });
    await stmts.upsertIocs(trx, rows);
  }
  return states.length;
}

/** See Store.upsertBatch. */
export async function upsertBatch(
  db: Kysely<Database>,
  stmts: IocStatements,
  candidates: readonly IocCandidate[],
  ctx: UpsertContext,
): Promise<UpsertResult> {
  if (candidates.length === 0) return { added: 0, updated: 0, unchanged: 0, allowlisted: 0 };
  return inWriteTransaction(db, stmts, (trx) => upsertIn(trx, stmts, candidates, ctx));
}

/** Merges `candidates` into the store inside the caller's (locked) write transaction. */
async function upsertIn(trx: Kysely<Database>, stmts: IocStatements, candidates: readonly IocCandidate[], ctx: UpsertContext): Promise<UpsertResult> {
  const result: UpsertResult = { added: 0, updated: 0, unchanged: 0, allowlisted: 0 };
  if (candidates.length === 0) return result;

  // Sightings of one IOC in one batch merge together; first appearance sets version order.
  const groups = new Map<string, IocCandidate[]>();
  for (const c of candidates) {
    const key = keyOf(c.type, c.value);
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  }
  const nowIso = ctx.now.toISOString();

  const keys = [...groups.values()].map((g) => ({ type: (g[0] as IocCandidate).type, value: (g[0] as IocCandidate).value }));
  const stored = new Map<string, IocRecord>();
  for (const doc of await stmts.loadDocs(trx, keys)) {
    const record = parseIocDoc(doc);
    stored.set(keyOf(record.type, record.value), record);
  }

  const versioned: IocState[] = [];
  const touches: TouchValues[] = [];
  const sourceRows: RowValues[] = [];
  for (const [key, group] of groups) {
    const head = group[0] as IocCandidate;
    const prev = stored.get(key) ?? null;
    const allowlisted = ctx.allowlist ? ctx.allowlist(head.type, head.value) : undefined;
    const merged = mergeIoc(prev?.id ?? iocId(head.type, head.value), prev, group, { nowIso, ttlDays: ctx.ttlDays, allowlisted, lastSeenResolutionMs: ctx.lastSeenResolutionMs ?? 0 });
    if (merged.kind === 'unchanged') {
      result.unchanged++;
      continue;
    }
    if (merged.kind === 'touched' && prev) {
      result.unchanged++;
      const record: IocRecord = { ...merged.state, updated_at: prev.updated_at, version: prev.version };
      touches.push([record.id, record.last_seen, record.expires_at, renderIocDoc(record)]);
    } else {
      versioned.push(merged.state);
      if (merged.kind === 'added') result.added++;
      else result.updated++;
      if (merged.state.status === 'allowlisted') result.allowlisted++;
    }
    for (const w of merged.sourceWrites) sourceRows.push(sourceRowValues(merged.state.id, w.source, w.occurrences));
  }

  stored.clear();
  await writeVersioned(trx, stmts, versioned, ctx.now);
  if (touches.length > 0) await stmts.touchIocs(trx, touches);
  if (sourceRows.length > 0) await stmts.upsertSources(trx, sourceRows);
  return result;
}

/** When a BatchWriter commits (see Store.openBatchWriter). */
export interface CommitPolicy {
  /** Commit once the open transaction holds this many candidates. */
  maxCandidates: number;
  /** ... or once it has been open this long. */
  maxOpenMs: number;
  /** ... or when no batch arrived for this long (the input is slow: do not hold the lock waiting). */
  idleMs: number;
}

/**
 * Every commit writes each page it dirtied to the WAL, and random keys (id, type + value, the
 * source key) dirty about one index page per row, so small transactions rewrite the same pages
 * over and over. Measured (1M-IOC ingest, SQLite): one transaction per 5,000-row batch 11.5k
 * IOCs/s, ~1 s transactions 14.7k; 100k-row transactions would add another 10%, but ~1 s bounds
 * how long readers on this SQLite connection and other writers (busy_timeout, the PostgreSQL
 * advisory lock) wait.
 */
export const DEFAULT_COMMIT_POLICY: CommitPolicy = { maxCandidates: 100_000, maxOpenMs: 1000, idleMs: 100 };

/** See Store.openBatchWriter. */
export function openBatchWriter(db: Kysely<Database>, stmts: IocStatements, ctx: UpsertContext, policy: CommitPolicy = DEFAULT_COMMIT_POLICY): BatchWriter {
  let trx: ControlledTransaction<Database> | null = null;
  let openedAt = 0;
  let held = 0;
  let idle: NodeJS.Timeout | undefined;
  let closed = false;
  // A commit the idle timer ran that failed: reported by the next call.
  let failure: { error: unknown } | null = null;
  // Every step runs after the previous one: the idle commit never interleaves with a write.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(step: () => Promise<T>): Promise<T> => {
    const next = queue.then(step);
    queue = next.catch(() => undefined);
    return next;
  };
  const rethrow = (): void => {
    if (failure) throw failure.error;
  };
  const commit = async (): Promise<void> => {
    if (idle) clearTimeout(idle);
    idle = undefined;
    const open = trx;
    trx = null;
    if (!open) return;
    try {
      await open.commit().execute();
    } catch (err) {
      // Release the connection (and, on PostgreSQL, the writer lock) whatever state it is in.
      await open.rollback().execute().catch(() => undefined);
      throw err;
    }
  };
  const rollback = async (): Promise<void> => {
    if (idle) clearTimeout(idle);
    idle = undefined;
    const open = trx;
    trx = null;
    if (open) await open.rollback().execute();
  };

  return {
    write: (candidates) =>
      serial(async () => {
        rethrow();
        if (closed) throw new Error('the batch writer is closed');
        if (idle) clearTimeout(idle);
        idle = undefined;
        if (candidates.length === 0) return { added: 0, updated: 0, unchanged: 0, allowlisted: 0 };
        if (!trx) {
          const started = await db.startTransaction().execute();
          try {
            await stmts.lockWriters(started);
            await stmts.relaxCommit(started);
          } catch (err) {
            await started.rollback().execute();
            throw err;
          }
          trx = started;
          openedAt = performance.now();
          held = 0;
        }
        let result: UpsertResult;
        try {
          result = await upsertIn(trx, stmts, candidates, ctx);
        } catch (err) {
          // The open transaction may hold a half-written batch: none of it may commit. The
          // write's error is the one to report, not a failing rollback's.
          await rollback().catch(() => undefined);
          throw err;
        }
        held += candidates.length;
        if (held >= policy.maxCandidates || performance.now() - openedAt >= policy.maxOpenMs) await commit();
        else {
          idle = setTimeout(() => {
            void serial(commit).catch((error: unknown) => {
              failure = { error };
            });
          }, policy.idleMs);
        }
        return result;
      }),
    close: () =>
      serial(async () => {
        closed = true;
        rethrow();
        await commit();
      }),
    abort: () =>
      serial(async () => {
        closed = true;
        await rollback();
      }),
  };
}

/**
 * See Store.expireDue. Walks active IOCs by version (one pass, one transaction per page, so
 * other writers interleave); expired rows get new versions and leave the `active` set.
 */
export async function expireDue(db: Kysely<Database>, stmts: IocStatements, now: Date): Promise<number> {
  const nowIso = now.toISOString();
  return scanActive(db, stmts, now, (rows) =>
    rows.filter((r) => r.expires_at !== null && r.expires_at <= nowIso).map((r) => ({ ...parseIocDoc(r.doc), status: 'expired' as const })),
  );
}

interface ScanRow {
  version: number;
  type: string;
  value: string;
  expires_at: string | null;
  doc: string;
}

/**
 * Pages through active IOCs in version order up to the last version at the start (later
 * writes were judged by their own write), re-stamping what `change` returns for each page.
 */
async function scanActive(
  db: Kysely<Database>,
  stmts: IocStatements,
  now: Date,
  change: (rows: ScanRow[]) => IocState[],
): Promise<number> {
  const counter = await db.selectFrom('counters').select('value').where('name', '=', 'ioc_version').executeTakeFirst();
  const lastVersion = Number(counter?.value ?? 0);
  let after = 0;
  let total = 0;
  while (after < lastVersion) {
    const page = await inWriteTransaction(db, stmts, async (trx) => {
      const rows = await trx
        .selectFrom('iocs')
        .select(['version', 'type', 'value', 'expires_at', 'doc'])
        .where('status', '=', 'active')
        .where('version', '>', after)
        .where('version', '<=', lastVersion)
        .orderBy('version')
        .limit(SCAN_PAGE)
        .execute();
      const changed = await writeVersioned(trx, stmts, change(rows), now);
      return { last: rows.at(-1)?.version, size: rows.length, changed };
    });
    total += page.changed;
    if (page.last === undefined || page.size < SCAN_PAGE) break;
    after = page.last;
  }
  return total;
}

/** See Store.applyAllowlist. */
export async function applyAllowlist(db: Kysely<Database>, stmts: IocStatements, check: AllowlistCheck, now: Date): Promise<number> {
  return scanActive(db, stmts, now, (rows) =>
    rows.filter((r) => check(r.type as IocType, r.value)).map((r) => ({ ...parseIocDoc(r.doc), status: 'allowlisted' as const })),
  );
}

/** See Store.setStatus. */
export async function setStatus(db: Kysely<Database>, stmts: IocStatements, id: string, status: IocStatus, now: Date): Promise<IocRecord | null> {
  return inWriteTransaction(db, stmts, async (trx) => {
    const row = await trx.selectFrom('iocs').select('doc').where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const record = parseIocDoc(row.doc);
    if (record.status === status) return record;
    const [next] = await stampVersions(trx, [{ ...record, status }], now);
    if (!next) return null;
    await stmts.upsertIocs(trx, [iocRowValues(next, renderIocDoc(next))]);
    return next;
  });
}
