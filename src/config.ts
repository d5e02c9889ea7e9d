import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * The one typed configuration of SOC Defenders. Sources, later winning: defaults, an optional
 * YAML config file (`SOCD_CONFIG` or `--config`), environment variables, command-line flags.
 */
export interface Config {
  /** `postgres://...` or a SQLite file path. */
  databaseUrl: string;
  host: string;
  port: number;
  /** Feed config file (feeds, TTLs, allowlists). */
  feedsConfigPath: string;
  /** Where downloaded allowlists and other local state are kept (default ./data). */
  dataDir: string;
  logLevel: string;
  /** Trust X-Forwarded-* from a load balancer in front. */
  trustProxy: boolean;
  /** Plan overrides, merged over the defaults by the API (plan name → partial limits). */
  plans: Record<string, Record<string, unknown>>;
  /** Run the feed scheduler inside `socd serve`. */
  scheduler: boolean;
}

export interface ConfigOverrides {
  configFile?: string;
  databaseUrl?: string;
  host?: string;
  port?: number | string;
  feedsConfigPath?: string;
}

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`config: ${field}: ${message}`);
  }
}

const DEFAULTS: Config = {
  databaseUrl: './data/socd.db',
  host: '127.0.0.1',
  port: 8080,
  feedsConfigPath: 'config/feeds.yaml',
  dataDir: './data',
  logLevel: 'info',
  trustProxy: false,
  plans: {},
  scheduler: true,
};

type FileConfig = Partial<{
  database_url: string;
  host: string;
  port: number;
  feeds_config: string;
  data_dir: string;
  log_level: string;
  trust_proxy: boolean;
  plans: Record<string, Record<string, unknown>>;
  scheduler: boolean;
}>;

function readConfigFile(path: string): FileConfig {
  if (!existsSync(path)) throw new ConfigError('config_file', `${path} does not exist`);
  const parsed: unknown = parseYaml(readFileSync(path, 'utf8'));
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('config_file', `${path} must hold a YAML mapping`);
  }
  return parsed as FileConfig;
}

function parsePort(value: number | string, field: string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(field, `not a TCP port: ${String(value)}`);
  return n;
}

function parseBool(value: string, field: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(field, `expected true or false, got ${value}`);
}

/** Build the configuration from defaults, the optional file, `env` and explicit overrides. */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const cfg: Config = { ...DEFAULTS, plans: {} };
  const file = overrides.configFile ?? env.SOCD_CONFIG;
  if (file) {
    const f = readConfigFile(file);
    if (f.database_url !== undefined) cfg.databaseUrl = String(f.database_url);
    if (f.host !== undefined) cfg.host = String(f.host);
    if (f.port !== undefined) cfg.port = parsePort(f.port, 'port');
    if (f.feeds_config !== undefined) cfg.feedsConfigPath = String(f.feeds_config);
    if (f.data_dir !== undefined) cfg.dataDir = String(f.data_dir);
    if (f.log_level !== undefined) cfg.logLevel = String(f.log_level);
    if (f.trust_proxy !== undefined) cfg.trustProxy = Boolean(f.trust_proxy);
    if (f.scheduler !== undefined) cfg.scheduler = Boolean(f.scheduler);
    if (f.plans !== undefined) cfg.plans = f.plans;
  }
  if (env.DATABASE_URL) cfg.databaseUrl = env.DATABASE_URL;
  if (env.HOST) cfg.host = env.HOST;
  if (env.PORT) cfg.port = parsePort(env.PORT, 'PORT');
  if (env.SOCD_FEEDS) cfg.feedsConfigPath = env.SOCD_FEEDS;
  if (env.SOCD_DATA_DIR) cfg.dataDir = env.SOCD_DATA_DIR;
  if (env.LOG_LEVEL) cfg.logLevel = env.LOG_LEVEL;
  if (env.SOCD_TRUST_PROXY) cfg.trustProxy = parseBool(env.SOCD_TRUST_PROXY, 'SOCD_TRUST_PROXY');
  if (env.SOCD_SCHEDULER) cfg.scheduler = parseBool(env.SOCD_SCHEDULER, 'SOCD_SCHEDULER');
  if (overrides.databaseUrl) cfg.databaseUrl = overrides.databaseUrl;
  if (overrides.host) cfg.host = overrides.host;
  if (overrides.port !== undefined) cfg.port = parsePort(overrides.port, '--port');
  if (overrides.feedsConfigPath) cfg.feedsConfigPath = overrides.feedsConfigPath;
  if (!/^postgres(ql)?:\/\//.test(cfg.databaseUrl)) cfg.databaseUrl = resolve(cfg.databaseUrl);
  cfg.dataDir = resolve(cfg.dataDir);
  return cfg;
}
