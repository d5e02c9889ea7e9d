import type { ColumnType, Generated } from 'kysely';

/**
 * The database schema, shared by SQLite and PostgreSQL through one Kysely code base.
 *
 * Conventions (so both dialects behave the same):
 * - Timestamps are TEXT in ISO 8601 UTC with a fixed width (`2026-11-26T07:04:43.123456Z` for
 *   version timestamps, `...123Z` elsewhere), so they sort and compare as strings on both.
 * - Lists (tags, techniques, industries, scopes) are JSON text.
 * - `version` is the global version sequence (DESIGN.md §5): BIGINT, read back as a JS number.
 */

export interface IocsTable {
  id: string; // UUIDv5 of `${type}:${value}`, stable across databases
  type: string;
  value: string;
  status: string; // active | expired | revoked | allowlisted
  confidence: string; // high | medium | low
  first_seen: string;
  last_seen: string;
  threat_type: string | null;
  malware: string | null;
  tlp: string;
  context: string | null;
  tags: string; // JSON array
  mitre_techniques: string; // JSON array
  industries: string; // JSON array
  /** The most relevant source (highest confidence, then most recent): the hosted `source` object. */
  source_feed: string;
  source_category: string;
  source_origin: string;
  source_reference_url: string | null;
  source_article_id: string | null;
  source_article_title: string | null;
  source_article_url: string | null;
  source_count: number;
  expires_at: string | null;
  /** Timestamp of this version; unique and strictly increasing with `version`. */
  updated_at: string;
  version: number;
  /** The API JSON of this version (IocRecord), rendered once at write time (DESIGN.md §11). */
  doc: string;
}

export interface IocSourcesTable {
  ioc_id: string;
  feed_name: string;
  category: string;
  origin: string;
  reference_url: string | null;
  article_id: string | null;
  article_title: string | null;
  article_url: string | null;
  first_seen: string;
  last_seen: string;
  occurrences: number;
  confidence: string;
  context: string | null;
}

/** Named counters; `ioc_version` holds the last version number handed out. */
export interface CountersTable {
  name: string;
  value: number;
}

export interface FeedsTable {
  name: string;
  last_run_at: string | null;
  last_success_at: string | null;
  last_status: string | null; // ok | error | not_modified | running
  last_error: string | null;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  etag: string | null;
  last_modified: string | null;
  next_run_at: string | null;
}

export interface UsersTable {
  id: string; // UUIDv4
  email: string; // lower-case, unique
  password_hash: string; // scrypt$N$r$p$salt$hash
  role: string; // admin | member
  plan: string; // free | pro
  disabled: ColumnType<number, number | undefined, number>; // 0/1
  created_at: string;
}

export interface ApiKeysTable {
  id: string; // UUIDv4
  user_id: string;
  name: string;
  key_hash: string; // hex SHA-256 of the full key; unique
  key_prefix: string; // e.g. sk_live_zIc8
  plan: string;
  scopes: string; // JSON array
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  revoked_reason: string | null;
}

/** Exact request counters per key and window (`minute` or `day`), incremented atomically. */
export interface UsageCountersTable {
  key_id: string;
  window: string; // minute | day
  window_start: string; // ISO start of the window
  count: number;
}

/** One row per authenticated API request, for usage analytics. */
export interface RequestLogTable {
  id: Generated<number>;
  key_id: string;
  ts: string;
  method: string;
  path: string;
  status: number;
  latency_ms: number;
}

export interface Database {
  iocs: IocsTable;
  ioc_sources: IocSourcesTable;
  counters: CountersTable;
  feeds: FeedsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  usage_counters: UsageCountersTable;
  request_log: RequestLogTable;
}
