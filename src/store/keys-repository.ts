import { CompiledQuery, type Kysely, type Selectable } from 'kysely';
import type { ApiKeysTable, Database } from './schema.js';
import type { SyncReader } from './store.js';

/** An API key as listed (never with its hash). */
export interface ApiKey {
  id: string;
  user_id: string;
  name: string;
  key_prefix: string;
  plan: string;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  revoked_reason: string | null;
}

/** What authentication needs about the key behind a hash, read in one indexed query. */
export interface KeyAuthRow {
  id: string;
  user_id: string;
  key_hash: string;
  plan: string;
  scopes: string;
  expires_at: string | null;
  revoked_at: string | null;
  user_disabled: boolean;
  /**
   * The store's last IOC version (`counters.ioc_version`), read in the same statement: list
   * caches need it on every request, and one statement costs less than two.
   */
  ioc_version: number;
}

export interface NewApiKey {
  id: string;
  userId: string;
  name: string;
  keyHash: string;
  keyPrefix: string;
  plan: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
}

const KEY_COLUMNS = [
  'id',
  'user_id',
  'name',
  'key_prefix',
  'plan',
  'scopes',
  'created_at',
  'last_used_at',
  'expires_at',
  'revoked_at',
  'revoked_reason',
] as const;

function parseScopes(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

function toApiKey(row: Pick<Selectable<ApiKeysTable>, (typeof KEY_COLUMNS)[number]>): ApiKey {
  return { ...row, scopes: parseScopes(row.scopes) };
}

type RawKeyAuthRow = Omit<KeyAuthRow, 'user_disabled' | 'ioc_version'> & { disabled: number | boolean; ioc_version: number | string | null };

function authRow(row: RawKeyAuthRow | undefined): KeyAuthRow | null {
  if (!row) return null;
  return {
    id: row.id,
    user_id: row.user_id,
    key_hash: row.key_hash,
    plan: row.plan,
    scopes: row.scopes,
    expires_at: row.expires_at,
    revoked_at: row.revoked_at,
    user_disabled: Number(row.disabled) !== 0,
    ioc_version: Number(row.ioc_version ?? 0),
  };
}

/** Distinct keys remembered between writes; past it the cache starts over (keys are few). */
const VERIFIED_CACHE_SIZE = 10_000;

/** API keys: creation, listing, revocation and the per-request lookup by hash. */
export class KeysRepository {
  /**
   * The auth lookup runs on every request, so its SQL is compiled once per dialect and only the
   * parameter changes (no query building on the hot path).
   */
  private readonly byHashSql: string;

  /** Key rows by hash, each with the change stamp it was read under (SQLite only). */
  readonly #verified = new Map<string, { stamp: string; row: KeyAuthRow }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly syncReader: SyncReader | null = null,
  ) {
    this.byHashSql = db
      .selectFrom('api_keys as k')
      .innerJoin('users as u', 'u.id', 'k.user_id')
      .select(['k.id', 'k.user_id', 'k.key_hash', 'k.plan', 'k.scopes', 'k.expires_at', 'k.revoked_at', 'u.disabled'])
      .select((eb) =>
        eb.selectFrom('counters').select('counters.value').where('counters.name', '=', 'ioc_version').as('ioc_version'),
      )
      .where('k.key_hash', '=', '')
      .compile().sql;
  }

  async insert(key: NewApiKey): Promise<ApiKey> {
    await this.db
      .insertInto('api_keys')
      .values({
        id: key.id,
        user_id: key.userId,
        name: key.name,
        key_hash: key.keyHash,
        key_prefix: key.keyPrefix,
        plan: key.plan,
        scopes: JSON.stringify(key.scopes),
        created_at: key.createdAt,
        last_used_at: null,
        expires_at: key.expiresAt,
        revoked_at: null,
        revoked_reason: null,
      })
      .execute();
    return {
      id: key.id,
      user_id: key.userId,
      name: key.name,
      key_prefix: key.keyPrefix,
      plan: key.plan,
      scopes: key.scopes,
      created_at: key.createdAt,
      last_used_at: null,
      expires_at: key.expiresAt,
      revoked_at: null,
      revoked_reason: null,
    };
  }

  /**
   * The key stored under a SHA-256 hex hash, with its user's disabled flag. On SQLite a row read
   * earlier is reused while the database's change stamp has not moved (nothing was written since,
   * by this process or any other), so a revocation, expiry or plan change is still seen on the
   * key's very next request; only keys that exist are remembered.
   */
  async findByHash(keyHash: string): Promise<KeyAuthRow | null> {
    const reader = this.syncReader;
    const stamp = reader?.changeStamp();
    if (reader && stamp !== undefined) {
      const hit = this.#verified.get(keyHash);
      if (hit?.stamp === stamp) return hit.row;
      const rows = reader.all<RawKeyAuthRow>(this.byHashSql, ['ioc_version', keyHash]);
      if (rows) return this.#remember(keyHash, stamp, rows[0]);
    }
    const result = await this.db.executeQuery<RawKeyAuthRow>(CompiledQuery.raw(this.byHashSql, ['ioc_version', keyHash]));
    return authRow(result.rows[0]);
  }

  #remember(keyHash: string, stamp: string, raw: RawKeyAuthRow | undefined): KeyAuthRow | null {
    const row = authRow(raw);
    if (!row) return null;
    if (this.#verified.size >= VERIFIED_CACHE_SIZE) this.#verified.clear();
    this.#verified.set(keyHash, { stamp, row });
    return row;
  }

  async findById(id: string): Promise<ApiKey | null> {
    const row = await this.db.selectFrom('api_keys').select(KEY_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row ? toApiKey(row) : null;
  }

  /** Keys whose display prefix is `prefix` (e.g. `sk_live_zIc8`); a prefix may be ambiguous. */
  async findByPrefix(prefix: string): Promise<ApiKey[]> {
    const rows = await this.db.selectFrom('api_keys').select(KEY_COLUMNS).where('key_prefix', '=', prefix).execute();
    return rows.map(toApiKey);
  }

  /** Keys of one user, or of everyone, oldest first. */
  async list(userId?: string): Promise<ApiKey[]> {
    let q = this.db.selectFrom('api_keys').select(KEY_COLUMNS);
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return rows.map(toApiKey);
  }

  /** Keys of a user that still authenticate at `nowIso` (not revoked, not expired). */
  async countUsable(userId: string, nowIso: string): Promise<number> {
    const row = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', nowIso)]))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Revoke a key; a key already revoked keeps its first revocation. Returns whether it changed. */
  async revoke(id: string, reason: string, nowIso: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: nowIso, revoked_reason: reason })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Keys inherit their user's plan (as on the hosted product): move them all at once. */
  async setPlanForUser(userId: string, plan: string, scopes: string[]): Promise<void> {
    await this.db
      .updateTable('api_keys')
      .set({ plan, scopes: JSON.stringify(scopes) })
      .where('user_id', '=', userId)
      .execute();
  }

  /** Record when keys were last used (batched by the API, so at most one write per key per flush). */
  async touchLastUsed(lastUsed: ReadonlyMap<string, string>): Promise<void> {
    for (const [id, ts] of lastUsed) {
      await this.db
        .updateTable('api_keys')
        .set({ last_used_at: ts })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', ts)]))
        .execute();
    }
  }
}
