import type { Generated, Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * The audit log (migration 0002): one row per administrative or security-relevant action
 * (users created or changed, keys created or revoked, feeds run, sign-ins refused). Append-only;
 * read newest first.
 */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: string | null;
  actor_email: string | null;
  /** e.g. `user.create`, `user.set_plan`, `key.revoke`, `feed.run`, `session.sign_in_failed`. */
  action: string;
  target_type: string | null;
  target_id: string | null;
  /** JSON object: what changed (never a secret). */
  details: string;
  ip: string | null;
}

// A type alias (not an interface): Kysely's withTables needs an index-signature-compatible map.
export type AuditTables = {
  audit_log: AuditLogTable;
};

export interface AuditEntry {
  at: string;
  actor: { id: string; email: string } | null;
  action: string;
  target: { type: string; id: string } | null;
  details: Record<string, unknown>;
  ip: string | null;
}

export interface AuditRow extends AuditEntry {
  id: number;
}

export class AuditRepository {
  private readonly db: Kysely<Database & AuditTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<AuditTables>();
  }

  async record(e: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        at: e.at,
        actor_id: e.actor?.id ?? null,
        actor_email: e.actor?.email ?? null,
        action: e.action,
        target_type: e.target?.type ?? null,
        target_id: e.target?.id ?? null,
        details: JSON.stringify(e.details),
        ip: e.ip,
      })
      .execute();
  }

  /** Newest first, `limit` rows with id below `beforeId` (keyset paging on the primary key). */
  async list(opts: { limit: number; beforeId?: number }): Promise<AuditRow[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (opts.beforeId !== undefined) q = q.where('id', '<', opts.beforeId);
    const rows = await q.orderBy('id', 'desc').limit(opts.limit).execute();
    return rows.map((r) => {
      let details: Record<string, unknown> = {};
      try {
        const v: unknown = JSON.parse(r.details);
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) details = v as Record<string, unknown>;
      } catch {
        details = {};
      }
      return {
        id: Number(r.id),
        at: r.at,
        actor: r.actor_id !== null ? { id: r.actor_id, email: r.actor_email ?? '' } : null,
        action: r.action,
        target: r.target_type !== null ? { type: r.target_type, id: r.target_id ?? '' } : null,
        details,
        ip: r.ip,
      };
    });
  }
}
