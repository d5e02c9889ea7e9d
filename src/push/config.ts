/**
 * The push config: where `socd push` and `socd serve` deliver IOCs (config/push.yaml by default,
 * or SOCD_PUSH_CONFIG, or `socd push --push-config FILE`). A separate file from the main config
 * so that an operator can hand the SIEM team this one file; secrets are never in it: `token` and
 * `secret` must be `${VAR}` references expanded from the environment at load time.
 *
 * @example
 * destinations:
 *   - name: splunk-prod
 *     type: splunk-hec
 *     url: https://splunk.example.com:8088
 *     token: ${SPLUNK_HEC_TOKEN}
 *     index: threat_intel
 *     ack: { enabled: true }
 *     schedule: 5m
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_HEC_SOURCE, DEFAULT_HEC_SOURCETYPE } from '../export/splunk.js';
import {
  CATEGORIES,
  CONFIDENCES,
  IOC_TYPES,
  IOC_TYPE_ALIASES,
  SECTOR_ALIASES,
  STATUSES,
  isIocType,
  isSector,
  type Category,
  type Confidence,
  type IocType,
} from '../domain/vocabulary.js';
import type { IocFilter } from '../store/store.js';

export const DESTINATION_TYPES = ['splunk-hec', 'webhook', 'syslog'] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

export const DEFAULT_PUSH_CONFIG_PATH = 'config/push.yaml';

export interface RetryPolicy {
  /** Sends of one batch before the run gives up (the checkpoint stays; the next run resumes). */
  maxAttempts: number;
  /** First backoff; doubles per attempt up to maxMs, with full jitter. */
  baseMs: number;
  maxMs: number;
}

export interface BatchLimits {
  maxEvents: number;
  /** Uncompressed bytes of one request body. */
  maxBytes: number;
}

export interface DestinationBase {
  name: string;
  type: DestinationType;
  enabled: boolean;
  url: string;
  /** As written (`5m`) and in milliseconds: how often `socd serve` pushes. */
  schedule: string;
  scheduleMs: number;
  /** Which IOC versions to deliver; status defaults to `all` so expiries and revocations reach the SIEM. */
  filter: IocFilter;
  /** Where a destination seen for the first time starts: every stored IOC, or only changes from now on. */
  start: 'beginning' | 'now';
  batch: BatchLimits;
  gzip: boolean;
  gzipLevel: number;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Batches sent before earlier ones are confirmed (bounds the duplicates a crash can cause). */
  maxInFlight: number;
  tls: { verify: boolean; caFile: string | null };
  /** Set when the destination cannot run as configured (e.g. its token variable is unset). */
  unavailable: string | null;
}

export interface SplunkHecDestination extends DestinationBase {
  type: 'splunk-hec';
  token: string;
  index: string | null;
  sourcetype: string;
  source: string;
  host: string;
  ack: { enabled: boolean; pollMs: number; timeoutMs: number };
}

export interface WebhookDestination extends DestinationBase {
  type: 'webhook';
  secret: string;
  headers: Record<string, string>;
}

export const SYSLOG_PROTOCOLS = ['udp', 'tcp', 'tls'] as const;
export type SyslogProtocol = (typeof SYSLOG_PROTOCOLS)[number];

/**
 * Largest UDP message by default. RFC 5426 only obliges receivers to take 480 bytes (IPv4) and
 * says they SHOULD take 2048; 8192 is rsyslog's default maximum and holds an IOC with its full
 * context, so fewer messages are cut. Set 2048 for a strict RFC 5426 receiver or a WAN path.
 */
export const DEFAULT_SYSLOG_UDP_MAX_BYTES = 8192;

/** A syslog receiver (syslog-push.ts); `url` is `<protocol>://<host>:<port>`, for display only. */
export interface SyslogDestination extends DestinationBase {
  type: 'syslog';
  host: string;
  port: number;
  protocol: SyslogProtocol;
  /** `syslog`: RFC 5424 with structured data, CEF as MSG; `cef`: the bare CEF line. */
  format: 'syslog' | 'cef';
  appName: string;
  hostname: string;
  enterpriseId: number;
  facility: number;
  /** UDP only: a message longer than this (bytes) is truncated or skipped. */
  maxMessageBytes: number;
  oversize: 'truncate' | 'skip';
}

export type PushDestination = SplunkHecDestination | WebhookDestination | SyslogDestination;

export interface PushConfig {
  source: string | null;
  destinations: PushDestination[];
}

export interface PushConfigFieldError {
  field: string;
  message: string;
}

/** The push config cannot be used; `errors` names every offending field. */
export class PushConfigError extends Error {
  readonly code = 'invalid_push_config';
  constructor(
    readonly source: string,
    readonly errors: PushConfigFieldError[],
  ) {
    super(`${source}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    this.name = 'PushConfigError';
  }
}

/** The push config path: explicit, else SOCD_PUSH_CONFIG, else config/push.yaml. */
export function pushConfigPath(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(explicit ?? env.SOCD_PUSH_CONFIG ?? DEFAULT_PUSH_CONFIG_PATH);
}

/**
 * Reads the push config file; a missing file at the default location is an empty config.
 * @throws PushConfigError
 */
export function loadPushConfig(path: string, env: NodeJS.ProcessEnv = process.env, required = false): PushConfig {
  if (!existsSync(path)) {
    if (required) throw new PushConfigError(path, [{ field: '(file)', message: 'does not exist' }]);
    return { source: null, destinations: [] };
  }
  return parsePushConfig(readFileSync(path, 'utf8'), path, dirname(path), env);
}

/** Parses and validates push config YAML. @throws PushConfigError */
export function parsePushConfig(text: string, source = '(push config)', baseDir = process.cwd(), env: NodeJS.ProcessEnv = process.env): PushConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new PushConfigError(source, [{ field: '(yaml)', message: err instanceof Error ? err.message : String(err) }]);
  }
  const errors: PushConfigFieldError[] = [];
  const destinations = readRoot(doc, baseDir, env, (field, message) => errors.push({ field, message }));
  if (errors.length > 0) throw new PushConfigError(source, errors);
  return { source: source.startsWith('(') ? null : source, destinations };
}

type Fail = (field: string, message: string) => void;
type Obj = Record<string, unknown>;

const COMMON_KEYS = ['name', 'type', 'enabled', 'url', 'schedule', 'filter', 'start', 'batch', 'gzip', 'gzip_level', 'timeout_seconds', 'retry', 'max_in_flight', 'tls'];
const HEC_KEYS = [...COMMON_KEYS, 'token', 'index', 'sourcetype', 'source', 'host', 'ack'];
const WEBHOOK_KEYS = [...COMMON_KEYS, 'secret', 'headers'];
// Syslog has no URL and no compression: the receiver is host and port, messages go as they are.
const SYSLOG_KEYS = [
  ...COMMON_KEYS.filter((k) => k !== 'url' && k !== 'gzip' && k !== 'gzip_level'),
  'host',
  'port',
  'protocol',
  'format',
  'app_name',
  'hostname',
  'enterprise_id',
  'facility',
  'max_message_bytes',
  'oversize',
];
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const ENV_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unknownKeys(obj: Obj, known: readonly string[], field: string, fail: Fail): void {
  for (const key of Object.keys(obj)) if (!known.includes(key)) fail(`${field}.${key}`, `unknown setting (expected one of ${known.join(', ')})`);
}

function readRoot(doc: unknown, baseDir: string, env: NodeJS.ProcessEnv, fail: Fail): PushDestination[] {
  if (doc === null || doc === undefined) return [];
  if (!isObj(doc)) {
    fail('(root)', 'must be a mapping with a destinations list');
    return [];
  }
  unknownKeys(doc, ['destinations'], '(root)', fail);
  if (doc.destinations === undefined || doc.destinations === null) return [];
  if (!Array.isArray(doc.destinations)) {
    fail('destinations', 'must be a list');
    return [];
  }
  const out: PushDestination[] = [];
  const seen = new Set<string>();
  doc.destinations.forEach((raw: unknown, i: number) => {
    const field = `destinations[${i}]`;
    const d = readDestination(raw, field, baseDir, env, fail);
    if (!d) return;
    if (seen.has(d.name)) fail(`${field}.name`, `duplicate destination name "${d.name}"`);
    seen.add(d.name);
    out.push(d);
  });
  return out;
}

function str(v: unknown, field: string, fail: Fail, fallback: string): string;
function str(v: unknown, field: string, fail: Fail, fallback: null): string | null;
function str(v: unknown, field: string, fail: Fail, fallback: string | null): string | null {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string' || v.trim() === '') {
    fail(field, 'must be a non-empty string');
    return fallback;
  }
  if (/[\r\n]/.test(v)) fail(field, 'must not contain line breaks');
  return v.trim();
}

function int(v: unknown, field: string, fail: Fail, fallback: number, min: number, max: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(field, `must be an integer from ${min} to ${max}`);
    return fallback;
  }
  return v;
}

function num(v: unknown, field: string, fail: Fail, fallback: number, min: number, max: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    fail(field, `must be a number from ${min} to ${max}`);
    return fallback;
  }
  return v;
}

function bool(v: unknown, field: string, fail: Fail, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') {
    fail(field, 'must be true or false');
    return fallback;
  }
  return v;
}

/** `90s`, `5m`, `1h`, `every 6h` → milliseconds (at least 10 s). */
export function parseSchedule(text: string): number | null {
  const m = /^(?:every\s+)?(\d+(?:\.\d+)?)\s*([smhd])$/i.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * (UNIT_MS[(m[2] as string).toLowerCase()] as number);
  return ms >= 10_000 ? ms : null;
}

/** A `${VAR}` secret, expanded; records why the destination is unavailable when the variable is unset. */
function secretRef(v: unknown, field: string, env: NodeJS.ProcessEnv, fail: Fail, missing: string[]): string {
  if (typeof v !== 'string' || v.trim() === '') {
    fail(field, 'is required: name an environment variable, e.g. ${SPLUNK_HEC_TOKEN}');
    return '';
  }
  const m = ENV_REF.exec(v.trim());
  if (!m) {
    fail(field, 'must be an environment variable reference such as ${SPLUNK_HEC_TOKEN}: secrets are never written in the config file');
    return '';
  }
  const value = env[m[1] as string];
  if (value === undefined || value === '') {
    missing.push(`environment variable ${m[1] as string} (${field}) is not set`);
    return '';
  }
  if (/[\r\n]/.test(value)) fail(field, `environment variable ${m[1] as string} must not contain line breaks`);
  return value;
}

function readFilter(v: unknown, field: string, fail: Fail): IocFilter {
  const filter: IocFilter = { status: 'all' };
  if (v === undefined || v === null) return filter;
  if (!isObj(v)) {
    fail(field, 'must be a mapping (type, confidence, category, industry, status)');
    return filter;
  }
  unknownKeys(v, ['type', 'confidence', 'category', 'industry', 'status'], field, fail);
  if (v.type !== undefined) {
    const list = Array.isArray(v.type) ? v.type : typeof v.type === 'string' ? v.type.split(',') : null;
    if (!list) fail(`${field}.type`, 'must be a type or a list of types');
    const types: IocType[] = [];
    for (const t of list ?? []) {
      const name = String(t).trim().toLowerCase();
      const type = IOC_TYPE_ALIASES[name] ?? name;
      if (isIocType(type)) types.push(type);
      else fail(`${field}.type`, `unknown type "${String(t)}" (expected ${IOC_TYPES.join(', ')})`);
    }
    if (types.length > 0) filter.types = types;
  }
  if (v.confidence !== undefined) {
    if ((CONFIDENCES as readonly unknown[]).includes(v.confidence)) filter.confidence = v.confidence as Confidence;
    else fail(`${field}.confidence`, `must be one of ${CONFIDENCES.join(', ')}`);
  }
  if (v.category !== undefined) {
    if ((CATEGORIES as readonly unknown[]).includes(v.category)) filter.category = v.category as Category;
    else fail(`${field}.category`, `must be one of ${CATEGORIES.join(', ')}`);
  }
  if (v.industry !== undefined) {
    const s = String(v.industry).trim().toLowerCase();
    const sector = SECTOR_ALIASES[s] ?? s;
    if (isSector(sector)) filter.industry = sector;
    else fail(`${field}.industry`, 'must be a CISA sector slug such as energy');
  }
  if (v.status !== undefined) {
    if (v.status === 'all' || (STATUSES as readonly unknown[]).includes(v.status)) filter.status = v.status as IocFilter['status'];
    else fail(`${field}.status`, `must be all or one of ${STATUSES.join(', ')}`);
  }
  return filter;
}

function readUrl(v: unknown, field: string, fail: Fail): string {
  const s = str(v, field, fail, '');
  if (s === '') {
    if (v === undefined) fail(field, 'is required');
    return '';
  }
  try {
    const u = new URL(s);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') fail(field, 'must be an http:// or https:// URL');
    if (u.username || u.password) fail(field, 'must not carry credentials (use token or secret)');
  } catch {
    fail(field, `not a URL: ${s}`);
  }
  return s;
}

function readDestination(raw: unknown, field: string, baseDir: string, env: NodeJS.ProcessEnv, fail: Fail): PushDestination | null {
  if (!isObj(raw)) {
    fail(field, 'must be a mapping');
    return null;
  }
  const type = raw.type;
  if (!(DESTINATION_TYPES as readonly unknown[]).includes(type)) {
    fail(`${field}.type`, `must be one of ${DESTINATION_TYPES.join(', ')}`);
    return null;
  }
  unknownKeys(raw, type === 'splunk-hec' ? HEC_KEYS : type === 'syslog' ? SYSLOG_KEYS : WEBHOOK_KEYS, field, fail);
  const name = str(raw.name, `${field}.name`, fail, '');
  if (name === '') fail(`${field}.name`, 'is required');
  else if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) fail(`${field}.name`, 'letters, digits, - _ . (at most 64)');

  const schedule = str(raw.schedule, `${field}.schedule`, fail, '5m');
  const scheduleMs = parseSchedule(schedule);
  if (scheduleMs === null) fail(`${field}.schedule`, `"${schedule}" is not a duration of at least 10s such as 30s, 5m or 1h`);

  const batch = isObj(raw.batch) ? raw.batch : {};
  if (raw.batch !== undefined && !isObj(raw.batch)) fail(`${field}.batch`, 'must be a mapping (max_events, max_bytes)');
  unknownKeys(batch, ['max_events', 'max_bytes'], `${field}.batch`, fail);
  const retry = isObj(raw.retry) ? raw.retry : {};
  if (raw.retry !== undefined && !isObj(raw.retry)) fail(`${field}.retry`, 'must be a mapping (max_attempts, base_ms, max_ms)');
  unknownKeys(retry, ['max_attempts', 'base_ms', 'max_ms'], `${field}.retry`, fail);
  const tls = isObj(raw.tls) ? raw.tls : {};
  if (raw.tls !== undefined && !isObj(raw.tls)) fail(`${field}.tls`, 'must be a mapping (verify, ca_file)');
  unknownKeys(tls, ['verify', 'ca_file'], `${field}.tls`, fail);
  const caFileRaw = str(tls.ca_file, `${field}.tls.ca_file`, fail, null);
  const caFile = caFileRaw === null ? null : resolve(baseDir, caFileRaw);
  if (caFile !== null && !existsSync(caFile)) fail(`${field}.tls.ca_file`, `${caFile} does not exist`);
  const start = raw.start ?? 'beginning';
  if (start !== 'beginning' && start !== 'now') fail(`${field}.start`, 'must be beginning or now');

  const missing: string[] = [];
  const base = {
    name,
    enabled: bool(raw.enabled, `${field}.enabled`, fail, true),
    url: type === 'syslog' ? '' : readUrl(raw.url, `${field}.url`, fail),
    schedule,
    scheduleMs: scheduleMs ?? 300_000,
    filter: readFilter(raw.filter, `${field}.filter`, fail),
    start: start === 'now' ? ('now' as const) : ('beginning' as const),
    batch: {
      maxEvents: int(batch.max_events, `${field}.batch.max_events`, fail, 1000, 1, 100_000),
      maxBytes: int(batch.max_bytes, `${field}.batch.max_bytes`, fail, 1_000_000, 1024, 512 * 1024 * 1024),
    },
    gzip: bool(raw.gzip, `${field}.gzip`, fail, true),
    gzipLevel: int(raw.gzip_level, `${field}.gzip_level`, fail, 1, 1, 9),
    timeoutMs: num(raw.timeout_seconds, `${field}.timeout_seconds`, fail, 30, 0.05, 3600) * 1000,
    retry: {
      maxAttempts: int(retry.max_attempts, `${field}.retry.max_attempts`, fail, 10, 1, 1000),
      baseMs: int(retry.base_ms, `${field}.retry.base_ms`, fail, 500, 1, 600_000),
      maxMs: int(retry.max_ms, `${field}.retry.max_ms`, fail, 30_000, 1, 3_600_000),
    },
    maxInFlight: int(raw.max_in_flight, `${field}.max_in_flight`, fail, 4, 1, 64),
    tls: { verify: bool(tls.verify, `${field}.tls.verify`, fail, true), caFile },
  };

  if (type === 'splunk-hec') {
    const ack = isObj(raw.ack) ? raw.ack : {};
    if (raw.ack !== undefined && !isObj(raw.ack)) fail(`${field}.ack`, 'must be a mapping (enabled, poll_seconds, timeout_seconds)');
    unknownKeys(ack, ['enabled', 'poll_seconds', 'timeout_seconds'], `${field}.ack`, fail);
    const token = secretRef(raw.token, `${field}.token`, env, fail, missing);
    return {
      ...base,
      type,
      token,
      index: str(raw.index, `${field}.index`, fail, null),
      sourcetype: str(raw.sourcetype, `${field}.sourcetype`, fail, DEFAULT_HEC_SOURCETYPE),
      source: str(raw.source, `${field}.source`, fail, DEFAULT_HEC_SOURCE),
      host: str(raw.host, `${field}.host`, fail, hostname()),
      ack: {
        enabled: bool(ack.enabled, `${field}.ack.enabled`, fail, false),
        pollMs: num(ack.poll_seconds, `${field}.ack.poll_seconds`, fail, 1, 0.01, 600) * 1000,
        timeoutMs: num(ack.timeout_seconds, `${field}.ack.timeout_seconds`, fail, 300, 0.05, 86_400) * 1000,
      },
      unavailable: missing.length > 0 ? missing.join('; ') : null,
    };
  }
  if (type === 'syslog') return { ...base, ...readSyslog(raw, field, fail), gzip: false, unavailable: null };
  const secret = secretRef(raw.secret, `${field}.secret`, env, fail, missing);
  const headers: Record<string, string> = {};
  if (raw.headers !== undefined) {
    if (!isObj(raw.headers)) fail(`${field}.headers`, 'must be a mapping of header names to values');
    else {
      for (const [k, v] of Object.entries(raw.headers)) {
        if (!/^[A-Za-z0-9-]+$/.test(k)) fail(`${field}.headers.${k}`, 'not a header name');
        else if (typeof v !== 'string') fail(`${field}.headers.${k}`, 'must be a string');
        else {
          const expanded = v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, n: string) => {
            const value = env[n];
            if (value === undefined || value === '') missing.push(`environment variable ${n} (${field}.headers.${k}) is not set`);
            return value ?? '';
          });
          if (/[\r\n]/.test(expanded)) fail(`${field}.headers.${k}`, 'must not contain line breaks');
          else headers[k] = expanded;
        }
      }
    }
  }
  return { ...base, type: 'webhook', secret, headers, unavailable: missing.length > 0 ? missing.join('; ') : null };
}

function readSyslog(raw: Obj, field: string, fail: Fail): Omit<SyslogDestination, Exclude<keyof DestinationBase, 'url'>> & { type: 'syslog' } {
  const host = str(raw.host, `${field}.host`, fail, '');
  if (host === '') fail(`${field}.host`, 'is required');
  else if (!/^[A-Za-z0-9._:-]+$/.test(host)) fail(`${field}.host`, 'must be a host name or an IP address');
  const protocol = raw.protocol ?? 'udp';
  if (!(SYSLOG_PROTOCOLS as readonly unknown[]).includes(protocol)) fail(`${field}.protocol`, `must be one of ${SYSLOG_PROTOCOLS.join(', ')}`);
  const proto: SyslogProtocol = (SYSLOG_PROTOCOLS as readonly unknown[]).includes(protocol) ? (protocol as SyslogProtocol) : 'udp';
  // 514 for plain syslog (RFC 5426 UDP, and TCP by custom); 6514 for syslog over TLS (RFC 5425).
  const port = int(raw.port, `${field}.port`, fail, proto === 'tls' ? 6514 : 514, 1, 65535);
  const format = raw.format ?? 'syslog';
  if (format !== 'syslog' && format !== 'cef') fail(`${field}.format`, 'must be syslog (RFC 5424) or cef');
  const oversize = raw.oversize ?? 'truncate';
  if (oversize !== 'truncate' && oversize !== 'skip') fail(`${field}.oversize`, 'must be truncate or skip');
  return {
    type: 'syslog',
    url: `${proto}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    host,
    port,
    protocol: proto,
    format: format === 'cef' ? 'cef' : 'syslog',
    appName: str(raw.app_name, `${field}.app_name`, fail, 'socd'),
    hostname: str(raw.hostname, `${field}.hostname`, fail, hostname()),
    enterpriseId: int(raw.enterprise_id, `${field}.enterprise_id`, fail, 32473, 1, 2 ** 31 - 1),
    facility: int(raw.facility, `${field}.facility`, fail, 16, 0, 23),
    maxMessageBytes: int(raw.max_message_bytes, `${field}.max_message_bytes`, fail, DEFAULT_SYSLOG_UDP_MAX_BYTES, 480, 65_000),
    oversize: oversize === 'skip' ? 'skip' : 'truncate',
  };
}
