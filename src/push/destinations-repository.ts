/**
 * The `push_destinations` table (store/migrations/0003-push.ts): checkpoints, counters, the last
 * run's outcome and the lease. Every write that moves a checkpoint is conditional on holding the
 * lease, so a process that lost it (stalled past the lease, then woke up) can never move a
 * checkpoint another process owns.
 */
import { hostname } from 'node:os';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';

// Type aliases (not interfaces): Kysely's withTables needs their implicit index signature.
export type PushDestinationsTable = {
  name: string;
  type: string;
  checkpoint: number;
  checkpoint_at: string | null;
  delivered: number;
  skipped: number;
  resent: number;
  retries: number;
  last_run_at: string | null;
  last_status: string | null; // running | ok | error | interrupted
  last_success_at: string | null;
  last_error_at: string | null;
  last_error: string | null;
  last_skip: string | null;
  lease_owner: string | null;
  lease_until: string | null;
};

type PushTables = {
  push_destinations: PushDestinationsTable;
};

export type DestinationState = Selectable<PushDestinationsTable>;

/** Counters a run adds to the stored totals. */
export interface DeliveryCounters {
  delivered: number;
  skipped: number;
  resent: number;
  retries: number;
}

/** This process's lease owner id: host, pid and a random part (a pid can be reused). */
export function leaseOwnerId(): string {
  return `${hostname()}/${process.pid}/${Math.random().toString(36).slice(2, 10)}`;
}

/** Whether `owner` names a process on this host that no longer exists (it crashed or was killed). */
function ownerIsDeadHere(owner: string): boolean {
  const [host, pidText] = owner.split('/');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function toNumber(v: number | string | bigint): number {
  return Number(v);
}

function normalize(row: DestinationState): DestinationState {
  return {
    ...row,
    checkpoint: toNumber(row.checkpoint),
    delivered: toNumber(row.delivered),
    skipped: toNumber(row.skipped),
    resent: toNumber(row.resent),
    retries: toNumber(row.retries),
  };
}

export class DestinationsRepository {
  readonly #db: Kysely<Database & PushTables>;

  constructor(store: Store) {
    this.#db = store.db.withTables<PushTables>();
  }

  async get(name: string): Promise<DestinationState | null> {
    const row = await this.#db.selectFrom('push_destinations').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? normalize(row) : null;
  }

  async list(): Promise<DestinationState[]> {
    const rows = await this.#db.selectFrom('push_destinations').selectAll().orderBy('name').execute();
    return rows.map(normalize);
  }

  /** Creates the destination's row on first use, its checkpoint at `initialCheckpoint`. */
  async ensure(name: string, type: string, initialCheckpoint: number): Promise<DestinationState> {
    await this.#db
      .insertInto('push_destinations')
      .values({
        name,
        type,
        checkpoint: initialCheckpoint,
        checkpoint_at: null,
        delivered: 0,
        skipped: 0,
        resent: 0,
        retries: 0,
        last_run_at: null,
        last_status: null,
        last_success_at: null,
        last_error_at: null,
        last_error: null,
        last_skip: null,
        lease_owner: null,
        lease_until: null,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.get(name);
    if (!row) throw new Error(`push destination ${name} vanished after it was created`);
    return row;
  }

  /**
   * Takes the lease for `ttlMs` when it is free, expired, already ours, or held by a dead process
   * on this host. Returns false when another live process holds it.
   */
  async acquireLease(name: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
    const until = new Date(now.getTime() + ttlMs).toISOString();
    const nowIso = now.toISOString();
    const taken = await this.#db
      .updateTable('push_destinations')
      .set({ lease_owner: owner, lease_until: until })
      .where('name', '=', name)
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_until', '<', nowIso), eb('lease_owner', '=', owner)]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) > 0) return true;
    const current = await this.get(name);
    if (!current?.lease_owner || !ownerIsDeadHere(current.lease_owner)) return false;
    const stolen = await this.#db
      .updateTable('push_destinations')
      .set({ lease_owner: owner, lease_until: until })
      .where('name', '=', name)
      .where('lease_owner', '=', current.lease_owner)
      .executeTakeFirst();
    return Number(stolen.numUpdatedRows) > 0;
  }

  /** Extends our lease; false when it is no longer ours. */
  async renewLease(name: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('push_destinations')
      .set({ lease_until: new Date(now.getTime() + ttlMs).toISOString() })
      .where('name', '=', name)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.#db
      .updateTable('push_destinations')
      .set({ lease_owner: null, lease_until: null })
      .where('name', '=', name)
      .where('lease_owner', '=', owner)
      .execute();
  }

  /**
   * Moves the checkpoint forward and adds `counters` to the totals, in one statement, only while
   * we hold the lease. Returns false when the lease was lost (nothing written).
   */
  async saveCheckpoint(name: string, owner: string, checkpoint: number, counters: DeliveryCounters, now: Date, ttlMs: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('push_destinations')
      .set((eb) => ({
        checkpoint: sql<number>`case when ${eb.ref('checkpoint')} > ${checkpoint} then ${eb.ref('checkpoint')} else ${checkpoint} end`,
        checkpoint_at: now.toISOString(),
        delivered: eb('delivered', '+', counters.delivered),
        skipped: eb('skipped', '+', counters.skipped),
        resent: eb('resent', '+', counters.resent),
        retries: eb('retries', '+', counters.retries),
        lease_until: new Date(now.getTime() + ttlMs).toISOString(),
      }))
      .where('name', '=', name)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async recordSkip(name: string, message: string): Promise<void> {
    await this.#db.updateTable('push_destinations').set({ last_skip: message.slice(0, 2000) }).where('name', '=', name).execute();
  }

  async recordRunStart(name: string, now: Date): Promise<void> {
    await this.#db
      .updateTable('push_destinations')
      .set({ last_run_at: now.toISOString(), last_status: 'running' })
      .where('name', '=', name)
      .execute();
  }

  /** The outcome of a run: `ok` stamps last_success_at; anything else stamps the error. */
  async recordRunEnd(name: string, status: 'ok' | 'error' | 'interrupted', error: string | null, now: Date): Promise<void> {
    const at = now.toISOString();
    await this.#db
      .updateTable('push_destinations')
      .set(
        status === 'ok'
          ? { last_status: status, last_success_at: at }
          : { last_status: status, last_error_at: at, last_error: (error ?? status).slice(0, 2000) },
      )
      .where('name', '=', name)
      .execute();
  }

  /** Sets the checkpoint (e.g. `socd push reset`): the next run delivers every version after it. */
  async resetCheckpoint(name: string, checkpoint: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('push_destinations')
      .set({ checkpoint, checkpoint_at: new Date().toISOString() })
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
