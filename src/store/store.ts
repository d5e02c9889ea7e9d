import type { Kysely } from 'kysely';
import type { IocCandidate, IocRecord } from '../domain/ioc.js';
import type { Category, Confidence, IocStatus, IocType, Sector } from '../domain/vocabulary.js';
import type { Database } from './schema.js';

/** Decides at write time whether a (type, canonical value) is on an allowlist. */
export type AllowlistCheck = (type: IocType, value: string) => boolean;

export interface UpsertContext {
  /** Wall-clock time of this ingest; used for versions and expiry. */
  now: Date;
  /** Days an IOC stays active after its last sighting, per type (absent: never expires). */
  ttlDays: Partial<Record<IocType, number>>;
  /** Matches are stored with status `allowlisted`, never `active`. */
  allowlist?: AllowlistCheck;
  /**
   * When a batch would only move last_seen forward (no other change), and by less than this
   * many milliseconds for the IOC and each of its sources, nothing is written: re-ingesting a
   * feed whose runner stamps last_seen = now stays read-only within that window. 0 or absent:
   * every advance is written in place (without a new version).
   */
  lastSeenResolutionMs?: number;
}

export interface UpsertResult {
  added: number;
  updated: number;
  unchanged: number;
  /** Of added + updated, how many were stored as `allowlisted`. */
  allowlisted: number;
}

/** How long a BatchWriter may keep one transaction open (default ~1 s). */
export interface BatchWriterLimits {
  maxOpenMs?: number;
}

/** See Store.openBatchWriter. Calls run one after another, in call order. */
export interface BatchWriter {
  write(candidates: readonly IocCandidate[]): Promise<UpsertResult>;
  /** Commits what is open; later writes fail. */
  close(): Promise<void>;
  /** Rolls back what is not committed yet; later writes fail. */
  abort(): Promise<void>;
}

/** Filters shared by every list/export endpoint (REST, TAXII, Sigma, exports, push). */
export interface IocFilter {
  types?: IocType[];
  /** Exactly this confidence. */
  confidence?: Confidence;
  /** IOCs with ANY source of this category (not only the primary `source`). */
  category?: Category;
  /** IOCs whose `industries` include this sector. */
  industry?: Sector;
  /**
   * Only versions written after this ISO timestamp (`updated_at > since`); any ISO 8601 form is
   * accepted (see timestamps.ts `toStoredTimestamp`). An unparsable value throws a StoreError
   * with code `invalid_timestamp`.
   */
  since?: string;
  /** `active` by default; `all` includes expired, revoked and allowlisted. */
  status?: IocStatus | 'all';
}

export interface IocPageQuery extends IocFilter {
  /** Cursor: only versions with `version > afterVersion`, ascending. */
  afterVersion?: number;
  offset?: number;
  limit: number;
}

/** A page of IOCs in ascending version order, each with its pre-rendered JSON. */
export interface IocPageRow {
  version: number;
  updated_at: string;
  doc: string;
}

export interface StoreCounts {
  total: number;
  byStatus: Record<string, number>;
  /** Over all statuses. */
  byType: Record<string, number>;
  lastVersion: number;
}

/**
 * The one storage interface of SOC Defenders. Implemented once over Kysely for both SQLite
 * (better-sqlite3) and PostgreSQL (pg). Writes are serialized: on SQLite by the single
 * connection, on PostgreSQL by a transaction-level advisory lock, so version order equals
 * commit order and a reader paging by version never misses or repeats a change.
 */
/**
 * Synchronous reads for hot paths (SQLite only: its one connection lives in this process).
 * Each method answers undefined while the connection is in use (a transaction, a stream, a
 * queued query): the caller then takes the ordinary async path, which waits its turn, so a sync
 * read never sees another operation's uncommitted rows.
 */
export interface SyncReader {
  /** The rows of a read statement (SQL compiled by Kysely for this dialect). */
  all<R>(sql: string, params: readonly unknown[]): R[] | undefined;
  /**
   * A token that changes whenever the database may have changed: another connection (or
   * process) committed, or this one wrote. Equal tokens mean every row read between them is
   * still current.
   */
  changeStamp(): string | undefined;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  /** Sync reads on SQLite; null on PostgreSQL (a pool, shared with other processes). */
  readonly syncReader: SyncReader | null;

  /** Create or upgrade the schema. Idempotent. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /**
   * Merge candidates into the store in one transaction: new (type, value) → added; an existing
   * one whose merged state differs → updated with a new version; else unchanged (last_seen may
   * advance in place without a new version). Sources are merged per feed name.
   */
  upsertBatch(candidates: readonly IocCandidate[], ctx: UpsertContext): Promise<UpsertResult>;

  /**
   * A writer for one ingest run: each `write` merges like upsertBatch, but consecutive batches
   * share a write transaction, committed after ~100,000 candidates, after ~1 s, when no batch
   * arrived for 100 ms (a slow input never holds the write lock) and on `close`. A failed write
   * or `abort` rolls back what is not yet committed: the store holds whole transactions only,
   * and rerunning the feed completes it. While a transaction is open other writers wait (SQLite:
   * this process's connection and other processes' busy timeout; PostgreSQL: the writer lock).
   */
  openBatchWriter(ctx: UpsertContext, limits?: BatchWriterLimits): BatchWriter;

  /** Mark active IOCs whose `expires_at` has passed as `expired`, each with a new version. */
  expireDue(now: Date): Promise<number>;

  /** Re-check stored IOCs against an allowlist; matches become `allowlisted` with a new version. */
  applyAllowlist(check: AllowlistCheck, now: Date): Promise<number>;

  /**
   * Sets one IOC's status (e.g. `revoked` by an analyst, or back to `active`) with a new version;
   * the same status is a no-op. Returns the stored record, or null when `id` is unknown.
   * A revoked IOC stays revoked through later ingests.
   */
  setStatus(id: string, status: IocStatus, now: Date): Promise<IocRecord | null>;

  counts(): Promise<StoreCounts>;
  listIocs(query: IocPageQuery): Promise<IocPageRow[]>;
  countIocs(filter: IocFilter): Promise<number>;
  getIoc(id: string): Promise<IocRecord | null>;
  findByValue(type: IocType, value: string): Promise<IocRecord | null>;
}
