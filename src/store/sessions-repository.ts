import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Dashboard sign-in state: sessions (one row per signed-in browser) and the failed-sign-in
 * counters behind the brute-force slow-down. Tables from migration 0002; their types live here
 * (added to the schema through `withTables`, so schema.ts stays the IOC/API contract).
 */
export interface SessionsTable {
  /** Hex SHA-256 of the cookie's token: the token itself is never stored. */
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginThrottleTable {
  /** `email:<address>` or `ip:<address>`. */
  key: string;
  failures: number;
  window_start: string;
  blocked_until: string | null;
}

// A type alias (not an interface): Kysely's withTables needs an index-signature-compatible map.
export type SessionTables = {
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
};

/** A live session with what the request needs of its user (read fresh on every request). */
export interface SessionUser {
  sessionId: string;
  expiresAt: string;
  lastSeenAt: string;
  createdAt: string;
  user: { id: string; email: string; role: 'admin' | 'member'; plan: string; disabled: boolean };
}

export interface NewSession {
  id: string;
  userId: string;
  now: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

export interface ThrottleState {
  failures: number;
  windowStart: string;
  blockedUntil: string | null;
}

export class SessionsRepository {
  private readonly db: Kysely<Database & SessionTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<SessionTables>();
  }

  async create(s: NewSession): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: s.id,
        user_id: s.userId,
        created_at: s.now,
        last_seen_at: s.now,
        expires_at: s.expiresAt,
        ip: s.ip,
        user_agent: s.userAgent,
      })
      .execute();
  }

  /** The unexpired session stored under `id` (a token hash), joined with its user; null otherwise. */
  async find(id: string, nowIso: string): Promise<SessionUser | null> {
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.id', 's.expires_at', 's.last_seen_at', 's.created_at', 'u.id as user_id', 'u.email', 'u.role', 'u.plan', 'u.disabled'])
      .where('s.id', '=', id)
      .where('s.expires_at', '>', nowIso)
      .executeTakeFirst();
    if (!row) return null;
    return {
      sessionId: row.id,
      expiresAt: row.expires_at,
      lastSeenAt: row.last_seen_at,
      createdAt: row.created_at,
      user: {
        id: row.user_id,
        email: row.email,
        role: row.role === 'admin' ? 'admin' : 'member',
        plan: row.plan,
        disabled: Number(row.disabled) !== 0,
      },
    };
  }

  /** Slide a session's idle expiry forward. */
  async touch(id: string, nowIso: string, expiresAt: string): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: nowIso, expires_at: expiresAt }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  /** Sign a user out everywhere (disabled account, password change). Returns how many ended. */
  async deleteForUser(userId: string): Promise<number> {
    const r = await this.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async pruneExpired(nowIso: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<=', nowIso).execute();
    await this.db
      .deleteFrom('login_throttle')
      .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', nowIso)]))
      .where('window_start', '<', new Date(Date.parse(nowIso) - 86_400_000).toISOString())
      .execute();
  }

  // -------------------------------------------------------------------------------------------
  // Failed sign-ins

  async throttleStates(keys: readonly string[]): Promise<Map<string, ThrottleState>> {
    if (keys.length === 0) return new Map();
    const rows = await this.db.selectFrom('login_throttle').selectAll().where('key', 'in', [...keys]).execute();
    return new Map(rows.map((r) => [r.key, { failures: Number(r.failures), windowStart: r.window_start, blockedUntil: r.blocked_until }]));
  }

  /**
   * Count one failure for `key` in one atomic statement (concurrent failures of one key, in any
   * process, all count): a window older than `windowStartBefore` starts again at 1. Returns the
   * failures now counted.
   */
  async recordFailure(key: string, nowIso: string, windowStartBefore: string): Promise<number> {
    const row = await this.db
      .insertInto('login_throttle')
      .values({ key, failures: 1, window_start: nowIso, blocked_until: null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`case when login_throttle.window_start < ${windowStartBefore} then 1 else login_throttle.failures + 1 end`,
          window_start: sql<string>`case when login_throttle.window_start < ${windowStartBefore} then ${nowIso} else login_throttle.window_start end`,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    return Number(row.failures);
  }

  async block(key: string, until: string): Promise<void> {
    await this.db.updateTable('login_throttle').set({ blocked_until: until }).where('key', '=', key).execute();
  }

  async clearThrottle(key: string): Promise<void> {
    await this.db.deleteFrom('login_throttle').where('key', '=', key).execute();
  }
}
