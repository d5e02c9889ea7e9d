import type { Kysely } from 'kysely';
import type { IocCandidate, IocRecord } from '../domain/ioc.js';
import type { IocStatus, IocType } from '../domain/vocabulary.js';
import type { StoreDialect } from './dialect.js';
import * as queries from './ioc-queries.js';
import type { IocStatements } from './ioc-statements.js';
import * as writer from './ioc-writer.js';
import { migrateToLatest } from './migrate.js';
import { postgresIocStatements } from './postgres-ioc-statements.js';
import type { Database } from './schema.js';
import { sqliteIocStatements } from './sqlite-ioc-statements.js';
import type {
  AllowlistCheck,
  BatchWriter,
  BatchWriterLimits,
  IocFilter,
  IocPageQuery,
  IocPageRow,
  Store,
  StoreCounts,
  UpsertContext,
  UpsertResult,
  SyncReader,
} from './store.js';

/** The Store over Kysely: one class for both engines; the dialect picks the write statements. */
export class KyselyStore implements Store {
  readonly dialect: StoreDialect;
  readonly db: Kysely<Database>;
  readonly syncReader: SyncReader | null;
  readonly #statements: IocStatements;
  readonly #afterClose: () => void;

  /** `afterClose` releases what Kysely does not own (the SQLite file handle). */
  constructor(db: Kysely<Database>, dialect: StoreDialect, afterClose: () => void = () => undefined, syncReader: SyncReader | null = null) {
    this.db = db;
    this.syncReader = syncReader;
    this.dialect = dialect;
    this.#afterClose = afterClose;
    this.#statements = dialect === 'postgres' ? postgresIocStatements : sqliteIocStatements;
  }

  migrate(): Promise<void> {
    return migrateToLatest(this.db, this.dialect);
  }

  async close(): Promise<void> {
    await this.db.destroy();
    this.#afterClose();
  }

  upsertBatch(candidates: readonly IocCandidate[], ctx: UpsertContext): Promise<UpsertResult> {
    return writer.upsertBatch(this.db, this.#statements, candidates, ctx);
  }

  openBatchWriter(ctx: UpsertContext, limits?: BatchWriterLimits): BatchWriter {
    return writer.openBatchWriter(this.db, this.#statements, ctx, { ...writer.DEFAULT_COMMIT_POLICY, ...limits });
  }

  expireDue(now: Date): Promise<number> {
    return writer.expireDue(this.db, this.#statements, now);
  }

  applyAllowlist(check: AllowlistCheck, now: Date): Promise<number> {
    return writer.applyAllowlist(this.db, this.#statements, check, now);
  }

  setStatus(id: string, status: IocStatus, now: Date): Promise<IocRecord | null> {
    return writer.setStatus(this.db, this.#statements, id, status, now);
  }

  counts(): Promise<StoreCounts> {
    return queries.counts(this.db);
  }

  listIocs(query: IocPageQuery): Promise<IocPageRow[]> {
    return queries.listIocs(this.db, query);
  }

  countIocs(filter: IocFilter): Promise<number> {
    return queries.countIocs(this.db, filter);
  }

  getIoc(id: string): Promise<IocRecord | null> {
    return queries.getIoc(this.db, id);
  }

  findByValue(type: IocType, value: string): Promise<IocRecord | null> {
    return queries.findByValue(this.db, type, value);
  }
}
