import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CATEGORIES, CONFIDENCES, IOC_TYPES, TLPS, isIocType, isSector, type Category, type Confidence, type IocType, type Sector, type Tlp } from '../domain/vocabulary.js';
import { asObject } from './record-fields.js';
import { parserFor, type CsvColumnMapping } from './parsers/index.js';
import { FEED_FORMATS, type FeedDefaults, type FeedFormat } from './types.js';

/** One feed of the feed config, validated, with its defaults complete. */
export interface FeedConfig {
  name: string;
  /** Where the feed comes from: an http(s) URL, or a file (or MISP feed directory) on disk. */
  url?: string;
  path?: string;
  format: FeedFormat;
  /** As written (`1h`, `every 6h`) and in milliseconds. */
  schedule: string;
  scheduleMs: number;
  enabled: boolean;
  /** Extra request headers, `${VAR}` expanded from the environment (e.g. abuse.ch `Auth-Key`). */
  headers: Record<string, string>;
  defaults: FeedDefaults;
  /** Column mapping of a `csv` feed. */
  csv?: CsvColumnMapping;
  /** Seconds to wait for the server (and between body chunks). */
  timeoutSeconds: number;
  /** Downloads larger than this fail (a guard against a runaway feed). */
  maxBytes: number;
  /** Non-fatal findings, e.g. a header whose environment variable is unset (the header is left out). */
  warnings: string[];
}

/** A MISP warninglist to load: a file, or a URL fetched like a feed. */
export interface AllowlistSource {
  name: string;
  url?: string;
  path?: string;
}

export interface FeedsConfig {
  /** The file it was read from (null when built from a string). */
  source: string | null;
  /** Days an IOC stays active after it was last seen, per type; a type absent never expires. */
  ttlDays: Partial<Record<IocType, number>>;
  allowlists: AllowlistSource[];
  feeds: FeedConfig[];
}

export interface FeedsConfigFieldError {
  /** Path of the offending field, e.g. `feeds[2].defaults.confidence`. */
  field: string;
  message: string;
}

/** The feed config cannot be used; `errors` names every offending field. */
export class FeedsConfigError extends Error {
  readonly code = 'invalid_feeds_config';
  constructor(
    readonly source: string,
    readonly errors: FeedsConfigFieldError[],
  ) {
    super(`${source}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    this.name = 'FeedsConfigError';
  }
}

export const DEFAULT_FEEDS_CONFIG_PATH = 'config/feeds.yaml';
const DEFAULT_TIMEOUT_SECONDS = 60;
const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
const MIN_SCHEDULE_MS = 60_000;
const FEED_KEYS = ['name', 'url', 'path', 'format', 'schedule', 'enabled', 'headers', 'defaults', 'csv', 'timeout_seconds', 'max_bytes'];
const DEFAULTS_KEYS = ['category', 'confidence', 'tags', 'industries', 'tlp', 'internal', 'reference_url'];
const CSV_KEYS = [
  'value',
  'type_column',
  'type',
  'tags',
  'tags_separator',
  'confidence',
  'first_seen',
  'last_seen',
  'threat_type',
  'malware',
  'context',
  'reference_url',
  'delimiter',
  'header',
];
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Reads and validates the feed config file (YAML). Relative `path`s in it are resolved from the
 * file's directory.
 *
 * @throws FeedsConfigError naming every invalid field, or the unreadable file.
 * @example
 * const { feeds, ttlDays } = loadFeedsConfig('config/feeds.yaml');
 */
export function loadFeedsConfig(path: string = DEFAULT_FEEDS_CONFIG_PATH, env: NodeJS.ProcessEnv = process.env): FeedsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new FeedsConfigError(path, [{ field: '(file)', message: err instanceof Error ? err.message : String(err) }]);
  }
  return parseFeedsConfig(text, path, dirname(resolve(path)), env);
}

/** Parses and validates feed config YAML text. @throws FeedsConfigError */
export function parseFeedsConfig(text: string, source = '(feeds config)', baseDir = process.cwd(), env: NodeJS.ProcessEnv = process.env): FeedsConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new FeedsConfigError(source, [{ field: '(yaml)', message: err instanceof Error ? err.message : String(err) }]);
  }
  const result = validateFeedsConfig(doc, baseDir, env);
  if (!result.ok) throw new FeedsConfigError(source, result.errors);
  return { ...result.config, source: source.startsWith('(') ? null : source };
}

/** Validates a parsed feed config document, collecting every error instead of stopping at the first. */
export function validateFeedsConfig(
  doc: unknown,
  baseDir = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): { ok: true; config: FeedsConfig } | { ok: false; errors: FeedsConfigFieldError[] } {
  const errors: FeedsConfigFieldError[] = [];
  const fail = (field: string, message: string): void => {
    errors.push({ field, message });
  };
  const root = asObject(doc ?? {});
  if (!root) return { ok: false, errors: [{ field: '(root)', message: 'must be a mapping with feeds, ttl_days and allowlists' }] };
  unknownKeys(root, ['feeds', 'ttl_days', 'allowlists'], '', fail);

  const ttlDays = readTtlDays(root.ttl_days, fail);
  const allowlists = readAllowlists(root.allowlists, baseDir, fail);
  const feeds: FeedConfig[] = [];
  if (root.feeds !== undefined && !Array.isArray(root.feeds)) fail('feeds', 'must be a list');
  const seen = new Set<string>();
  (Array.isArray(root.feeds) ? root.feeds : []).forEach((raw, i) => {
    const feed = readFeed(raw, `feeds[${i}]`, baseDir, env, fail, () => errors.length);
    if (!feed) return;
    const key = feed.name.toLowerCase();
    if (seen.has(key)) fail(`feeds[${i}].name`, `duplicate feed name "${feed.name}"`);
    seen.add(key);
    feeds.push(feed);
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: { source: null, ttlDays, allowlists, feeds } };
}

type Fail = (field: string, message: string) => void;

function unknownKeys(obj: Record<string, unknown>, known: readonly string[], prefix: string, fail: Fail): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) fail(`${prefix}${key}`, `unknown setting (expected one of ${known.join(', ')})`);
  }
}

function readTtlDays(value: unknown, fail: Fail): Partial<Record<IocType, number>> {
  const out: Partial<Record<IocType, number>> = {};
  if (value === undefined || value === null) return out;
  const obj = asObject(value);
  if (!obj) {
    fail('ttl_days', 'must be a mapping of IOC type to days');
    return out;
  }
  for (const [type, days] of Object.entries(obj)) {
    if (!isIocType(type)) fail(`ttl_days.${type}`, `not an IOC type (expected one of ${IOC_TYPES.join(', ')})`);
    else if (days === null) continue;
    else if (typeof days !== 'number' || !(days > 0)) fail(`ttl_days.${type}`, 'must be a positive number of days, or null for never');
    else out[type] = days;
  }
  return out;
}

function readAllowlists(value: unknown, baseDir: string, fail: Fail): AllowlistSource[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    fail('allowlists', 'must be a list of {name, url} or {name, path}');
    return [];
  }
  const out: AllowlistSource[] = [];
  value.forEach((raw, i) => {
    const field = `allowlists[${i}]`;
    if (typeof raw === 'string') {
      out.push({ name: raw, path: resolve(baseDir, raw) });
      return;
    }
    const obj = asObject(raw);
    if (!obj) return fail(field, 'must be a path or a mapping with name and url or path');
    unknownKeys(obj, ['name', 'url', 'path'], `${field}.`, fail);
    const url = optionalString(obj.url, `${field}.url`, fail);
    const path = optionalString(obj.path, `${field}.path`, fail);
    if ((url === undefined) === (path === undefined)) return fail(field, 'needs exactly one of url or path');
    if (url !== undefined && !isHttpUrl(url)) return fail(`${field}.url`, 'must be an http(s) URL');
    const name = optionalString(obj.name, `${field}.name`, fail) ?? url ?? path ?? `allowlist ${i}`;
    out.push(url !== undefined ? { name, url } : { name, path: resolve(baseDir, path ?? '') });
  });
  return out;
}

function readFeed(
  raw: unknown,
  field: string,
  baseDir: string,
  env: NodeJS.ProcessEnv,
  fail: Fail,
  errorCount: () => number,
): FeedConfig | null {
  const obj = asObject(raw);
  if (!obj) {
    fail(field, 'must be a mapping');
    return null;
  }
  const before = errorCount();
  unknownKeys(obj, FEED_KEYS, `${field}.`, fail);
  const name = optionalString(obj.name, `${field}.name`, fail)?.trim();
  if (!name) fail(`${field}.name`, 'is required');
  else if (name.length > 100) fail(`${field}.name`, 'must be at most 100 characters');

  const url = optionalString(obj.url, `${field}.url`, fail);
  const path = optionalString(obj.path, `${field}.path`, fail);
  if ((url === undefined) === (path === undefined)) fail(field, 'needs exactly one of url or path');
  if (url !== undefined && !isHttpUrl(url)) fail(`${field}.url`, 'must be an http(s) URL');

  const format = obj.format;
  if (typeof format !== 'string' || !(FEED_FORMATS as readonly string[]).includes(format)) {
    fail(`${field}.format`, `must be one of ${FEED_FORMATS.join(', ')}`);
  }
  const schedule = obj.schedule === undefined ? '24h' : String(obj.schedule);
  const scheduleMs = parseSchedule(schedule);
  if (scheduleMs === null) fail(`${field}.schedule`, 'must be an interval like 30m, 1h, 6h, 24h or "every 1h"');
  else if (scheduleMs < MIN_SCHEDULE_MS) fail(`${field}.schedule`, 'must be at least 1m');

  if (obj.enabled !== undefined && typeof obj.enabled !== 'boolean') fail(`${field}.enabled`, 'must be true or false');
  const timeoutSeconds = positiveNumber(obj.timeout_seconds, `${field}.timeout_seconds`, DEFAULT_TIMEOUT_SECONDS, fail);
  const maxBytes = positiveNumber(obj.max_bytes, `${field}.max_bytes`, DEFAULT_MAX_BYTES, fail);
  const warnings: string[] = [];
  const headers = readHeaders(obj.headers, `${field}.headers`, env, fail, warnings);
  const validFormat = (FEED_FORMATS as readonly string[]).includes(String(format)) ? (format as FeedFormat) : null;
  const defaults = readDefaults(obj.defaults, `${field}.defaults`, name ?? '', validFormat, fail);
  let csv: CsvColumnMapping | undefined;
  if (obj.csv !== undefined) {
    if (format !== 'csv') fail(`${field}.csv`, 'only applies to format csv');
    else csv = readCsvMapping(obj.csv, `${field}.csv`, fail);
  }
  if (errorCount() > before || !name || !validFormat || scheduleMs === null || !defaults) return null;
  const feed: FeedConfig = {
    name,
    format: validFormat,
    schedule,
    scheduleMs,
    enabled: obj.enabled !== false,
    headers,
    defaults,
    timeoutSeconds,
    maxBytes,
    warnings,
  };
  if (url !== undefined) feed.url = url;
  if (path !== undefined) feed.path = resolve(baseDir, path);
  if (csv) feed.csv = csv;
  return feed;
}

function readDefaults(value: unknown, field: string, feedName: string, format: FeedFormat | null, fail: Fail): FeedDefaults | null {
  const obj = value === undefined || value === null ? {} : asObject(value);
  if (!obj) {
    fail(field, 'must be a mapping');
    return null;
  }
  unknownKeys(obj, DEFAULTS_KEYS, `${field}.`, fail);
  const implied = format ? parserFor(format).defaults : {};
  const category = oneOf<Category>(obj.category, CATEGORIES, `${field}.category`, fail) ?? implied.category ?? 'community';
  const confidence = oneOf<Confidence>(obj.confidence, CONFIDENCES, `${field}.confidence`, fail) ?? implied.confidence ?? 'medium';
  const tlp = oneOf<Tlp>(obj.tlp, TLPS, `${field}.tlp`, fail) ?? implied.tlp;
  const tags = stringList(obj.tags, `${field}.tags`, fail) ?? implied.tags ?? [];
  const industryNames = stringList(obj.industries, `${field}.industries`, fail) ?? [];
  const industries: Sector[] = [];
  industryNames.forEach((s, i) => {
    if (isSector(s)) industries.push(s);
    else fail(`${field}.industries[${i}]`, `"${s}" is not a CISA sector slug`);
  });
  if (obj.internal !== undefined && typeof obj.internal !== 'boolean') fail(`${field}.internal`, 'must be true or false');
  const referenceUrl = optionalString(obj.reference_url, `${field}.reference_url`, fail);
  if (referenceUrl !== undefined && !isHttpUrl(referenceUrl)) fail(`${field}.reference_url`, 'must be an http(s) URL');
  const defaults: FeedDefaults = { feed_name: feedName, category, confidence, tags, industries, internal: obj.internal === true };
  if (tlp) defaults.tlp = tlp;
  if (referenceUrl) defaults.reference_url = referenceUrl;
  return defaults;
}

function readCsvMapping(value: unknown, field: string, fail: Fail): CsvColumnMapping | undefined {
  const obj = asObject(value);
  if (!obj) {
    fail(field, 'must be a mapping (value, type_column or type, tags, confidence, first_seen...)');
    return undefined;
  }
  unknownKeys(obj, CSV_KEYS, `${field}.`, fail);
  const mapping: CsvColumnMapping = {};
  for (const key of CSV_KEYS) {
    const v = obj[key];
    if (v === undefined) continue;
    if (key === 'header') {
      if (typeof v !== 'boolean') fail(`${field}.header`, 'must be true or false');
      else mapping.header = v;
    } else if (key === 'type') {
      if (typeof v !== 'string' || !isIocType(v)) fail(`${field}.type`, `must be one of ${IOC_TYPES.join(', ')}`);
      else mapping.type = v;
    } else if (key === 'delimiter' || key === 'tags_separator') {
      if (typeof v !== 'string' || v === '') fail(`${field}.${key}`, 'must be a non-empty string');
      else mapping[key] = v;
    } else if ((typeof v === 'number' && Number.isInteger(v) && v >= 1) || (typeof v === 'string' && v.trim() !== '')) {
      (mapping as Record<string, string | number>)[key] = v;
    } else fail(`${field}.${key}`, 'must be a column name or a 1-based column number');
  }
  if (mapping.type !== undefined && mapping.type_column !== undefined) fail(field, 'give type or type_column, not both');
  return mapping;
}

function readHeaders(value: unknown, field: string, env: NodeJS.ProcessEnv, fail: Fail, warnings: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined || value === null) return out;
  const obj = asObject(value);
  if (!obj) {
    fail(field, 'must be a mapping of header name to value');
    return out;
  }
  for (const [name, raw] of Object.entries(obj)) {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
      fail(`${field}.${name}`, 'is not a valid HTTP header name');
      continue;
    }
    if (typeof raw !== 'string') {
      fail(`${field}.${name}`, 'must be a string');
      continue;
    }
    const missing: string[] = [];
    const expanded = raw.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, v: string) => {
      const val = env[v];
      if (val === undefined || val === '') missing.push(v);
      return val ?? '';
    });
    if (missing.length > 0) warnings.push(`${field}.${name}: environment variable ${missing.join(', ')} is not set; header left out`);
    else if (/[\r\n]/.test(expanded)) fail(`${field}.${name}`, 'must not contain line breaks');
    else out[name] = expanded;
  }
  return out;
}

/** `30m`, `1h`, `every 6h`, `1d` → milliseconds; null when unreadable. */
export function parseSchedule(text: string): number | null {
  const m = /^\s*(?:every\s+)?(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$/i.exec(text);
  if (!m?.[1] || !m[2]) return null;
  const ms = Number(m[1]) * (UNIT_MS[m[2].toLowerCase()] ?? Number.NaN);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

function optionalString(value: unknown, field: string, fail: Fail): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    fail(field, 'must be a non-empty string');
    return undefined;
  }
  return value.trim();
}

function positiveNumber(value: unknown, field: string, fallback: number, fail: Fail): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !(value > 0)) {
    fail(field, 'must be a positive number');
    return fallback;
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, fail: Fail): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(field, `must be one of ${allowed.join(', ')}`);
    return undefined;
  }
  return value as T;
}

function stringList(value: unknown, field: string, fail: Fail): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    fail(field, 'must be a list of strings');
    return undefined;
  }
  return value.map((v: string) => v.trim()).filter((v) => v !== '');
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
