/**
 * API plans: the one place for plan limits and features (DESIGN.md §6). Defaults are the hosted
 * product's documented tiers; `resolvePlans` merges the operator's overrides from the config
 * file (`plans:` mapping, snake_case keys) over them.
 */

/** Everything a route can require of a plan. Formats are features too (`format=csv`). */
export const FEATURES = [
  'json',
  'search',
  'lookup',
  'csv',
  'txt',
  'ndjson',
  'stix',
  'taxii',
  'sigma',
  'misp',
  'cef',
  'openioc',
  'stats',
  'match',
  'splunk-lookups',
] as const;
export type Feature = (typeof FEATURES)[number];

export function isFeature(v: string): v is Feature {
  return (FEATURES as readonly string[]).includes(v);
}

export interface Plan {
  name: string;
  /** Most results one request may ask for (`limit`). */
  resultsPerRequest: number;
  /** Requests per UTC minute and per UTC day (a request may cost more than 1, e.g. TAXII 2.5). */
  perMinute: number;
  perDay: number;
  /** How far back `since` may reach, in days. */
  lookbackDays: number;
  /** Active (not revoked) API keys a user on this plan may hold. */
  keysPerUser: number;
  features: readonly Feature[];
}

export type Plans = Readonly<Record<string, Plan>>;

export const DEFAULT_PLAN_NAME = 'free';

export const DEFAULT_PLANS: Plans = {
  free: {
    name: 'free',
    resultsPerRequest: 100,
    perMinute: 10,
    perDay: 1_000,
    lookbackDays: 1,
    keysPerUser: 3,
    features: ['json', 'search', 'lookup'],
  },
  pro: {
    name: 'pro',
    resultsPerRequest: 10_000,
    perMinute: 1_000,
    perDay: 1_000_000,
    lookbackDays: 365,
    keysPerUser: 50,
    features: FEATURES,
  },
};

/**
 * Scopes as the hosted product names them on a key. Features outside this map need `read:iocs`,
 * which every key holds.
 */
const FEATURE_SCOPES: Partial<Record<Feature, string>> = {
  stix: 'read:stix',
  taxii: 'read:stix',
  misp: 'read:misp',
  cef: 'read:cef',
  openioc: 'read:openioc',
};

export function scopeForFeature(feature: Feature): string {
  return FEATURE_SCOPES[feature] ?? 'read:iocs';
}

/** The scopes a new key on `plan` gets: every scope the plan's features need. */
export function defaultScopes(plan: Plan): string[] {
  const scopes = new Set<string>(['read:iocs']);
  for (const f of plan.features) scopes.add(scopeForFeature(f));
  return [...scopes].sort();
}

/** The cheapest plan (in the order given) that includes `feature`, to name in a 403. */
export function planOffering(plans: Plans, feature: Feature): string | null {
  for (const p of Object.values(plans)) if (p.features.includes(feature)) return p.name;
  return null;
}

export class PlanConfigError extends Error {
  readonly code = 'invalid_plan_config';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`plans.${field}: ${message}`);
  }
}

const NUMERIC_FIELDS = {
  results_per_request: 'resultsPerRequest',
  per_minute: 'perMinute',
  per_day: 'perDay',
  lookback_days: 'lookbackDays',
  keys_per_user: 'keysPerUser',
} as const satisfies Record<string, keyof Plan>;

function readNumber(planName: string, key: string, value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || !Number.isInteger(n)) {
    throw new PlanConfigError(`${planName}.${key}`, `expected a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

function readFeatures(planName: string, value: unknown): Feature[] {
  if (value === 'all') return [...FEATURES];
  if (!Array.isArray(value)) throw new PlanConfigError(`${planName}.features`, 'expected a list of features or "all"');
  return value.map((f) => {
    const s = String(f);
    if (!isFeature(s)) {
      throw new PlanConfigError(`${planName}.features`, `unknown feature ${JSON.stringify(s)}; known: ${FEATURES.join(', ')}`);
    }
    return s;
  });
}

/**
 * Merge overrides (`{ pro: { per_minute: 2000 }, enterprise: { ... } }`) over DEFAULT_PLANS.
 * A plan not among the defaults starts from `free` and must say what it changes.
 * Unknown keys are rejected so a typo never silently keeps a default.
 *
 * @example resolvePlans({ free: { per_day: 5000, features: ['json', 'search', 'lookup', 'csv'] } })
 */
export function resolvePlans(overrides: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {}): Plans {
  const plans: Record<string, Plan> = {};
  for (const [name, p] of Object.entries(DEFAULT_PLANS)) plans[name] = { ...p, features: [...p.features] };
  for (const [name, override] of Object.entries(overrides)) {
    if (!/^[a-z][a-z0-9_-]{0,31}$/.test(name)) throw new PlanConfigError(name, 'plan names are lower-case words');
    if (override === null || typeof override !== 'object') throw new PlanConfigError(name, 'expected a mapping');
    const base = plans[name] ?? { ...(DEFAULT_PLANS.free as Plan), name };
    const next: Plan = { ...base, features: [...base.features] };
    for (const [key, value] of Object.entries(override)) {
      if (key === 'features') next.features = readFeatures(name, value);
      else if (key in NUMERIC_FIELDS) next[NUMERIC_FIELDS[key as keyof typeof NUMERIC_FIELDS]] = readNumber(name, key, value);
      else {
        throw new PlanConfigError(
          `${name}.${key}`,
          `unknown setting; known: ${[...Object.keys(NUMERIC_FIELDS), 'features'].join(', ')}`,
        );
      }
    }
    if (next.resultsPerRequest < 1) throw new PlanConfigError(`${name}.results_per_request`, 'must be at least 1');
    plans[name] = next;
  }
  return plans;
}
