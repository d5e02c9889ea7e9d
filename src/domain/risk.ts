import type { Category, Confidence, IocStatus } from './vocabulary.js';

/**
 * A transparent risk score for one IOC, 0-100, returned by `GET /api/v1/lookup` together with
 * every component, so an analyst can see why an indicator scored what it did.
 *
 * Formula (points add up; the maximum of each part in brackets):
 *
 * | part | points |
 * | --- | --- |
 * | confidence [40] | high 40, medium 25, low 10 |
 * | sources [20] | 5 per distinct reporting source beyond the first, at most 20 (5 or more sources) |
 * | categories [15] | the most authoritative category among the sources: government 15, threat-intel 13, commercial 12, community 8, news 5 |
 * | recency [25] | last seen ≤ 1 day ago 25, ≤ 7 days 20, ≤ 30 days 12, ≤ 90 days 5, older 0 |
 *
 * `score = round((confidence + sources + categories + recency) × status multiplier)`, where the
 * multiplier is 1 for `active`, 0.5 for `expired` (no longer served to detection tools) and 0 for
 * `revoked` and `allowlisted` (a person or an allowlist said it is not malicious).
 *
 * Levels, as the hosted product names them: `critical` ≥ 80, `high` ≥ 60, `medium` ≥ 35, else `low`.
 */
export const RISK_LEVELS = ['critical', 'high', 'medium', 'low'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const CONFIDENCE_POINTS: Readonly<Record<Confidence, number>> = { high: 40, medium: 25, low: 10 };
export const CATEGORY_POINTS: Readonly<Record<Category, number>> = {
  government: 15,
  'threat-intel': 13,
  commercial: 12,
  community: 8,
  news: 5,
};
export const POINTS_PER_EXTRA_SOURCE = 5;
export const MAX_SOURCE_POINTS = 20;
/** Upper bounds in days of each recency step, with its points; older than the last: 0. */
export const RECENCY_STEPS: ReadonlyArray<{ maxDays: number; points: number }> = [
  { maxDays: 1, points: 25 },
  { maxDays: 7, points: 20 },
  { maxDays: 30, points: 12 },
  { maxDays: 90, points: 5 },
];
export const STATUS_MULTIPLIER: Readonly<Record<IocStatus, number>> = {
  active: 1,
  expired: 0.5,
  revoked: 0,
  allowlisted: 0,
};
const LEVEL_THRESHOLDS: ReadonlyArray<{ min: number; level: RiskLevel }> = [
  { min: 80, level: 'critical' },
  { min: 60, level: 'high' },
  { min: 35, level: 'medium' },
];

export interface RiskInput {
  confidence: Confidence;
  /** Number of distinct reporting sources (feeds or articles). */
  sourceCount: number;
  /** Categories of those sources (duplicates allowed). */
  categories: readonly Category[];
  /** ISO 8601 timestamp of the most recent sighting. */
  lastSeen: string;
  status: IocStatus;
}

export interface RiskFactors {
  confidence: number;
  sources: number;
  categories: number;
  recency: number;
  /** Days since the last sighting, rounded down (0 for a future timestamp, -1 when unknown). */
  days_since_last_seen: number;
  status_multiplier: number;
}

export interface RiskAssessment {
  score: number;
  level: RiskLevel;
  factors: RiskFactors;
}

const DAY_MS = 86_400_000;

/** The level for a 0-100 score. */
export function riskLevel(score: number): RiskLevel {
  for (const t of LEVEL_THRESHOLDS) if (score >= t.min) return t.level;
  return 'low';
}

/**
 * Score one IOC (see the formula above). Pure: the clock is a parameter.
 *
 * @example
 * assessRisk({ confidence: 'high', sourceCount: 3, categories: ['government'], lastSeen: '2026-01-01T00:00:00Z', status: 'active' }, new Date('2026-01-01T12:00:00Z'))
 * // → { score: 90, level: 'critical', factors: { confidence: 40, sources: 10, categories: 15, recency: 25, ... } }
 */
export function assessRisk(input: RiskInput, now: Date): RiskAssessment {
  const confidence = CONFIDENCE_POINTS[input.confidence];
  const extraSources = Math.max(0, Math.floor(input.sourceCount) - 1);
  const sources = Math.min(MAX_SOURCE_POINTS, extraSources * POINTS_PER_EXTRA_SOURCE);
  let categories = 0;
  for (const c of input.categories) categories = Math.max(categories, CATEGORY_POINTS[c] ?? 0);
  const lastSeenMs = Date.parse(input.lastSeen);
  // An unparsable timestamp earns no recency points rather than failing the lookup.
  const ageDays = Number.isNaN(lastSeenMs) ? Number.POSITIVE_INFINITY : Math.max(0, (now.getTime() - lastSeenMs) / DAY_MS);
  const recency = RECENCY_STEPS.find((s) => ageDays <= s.maxDays)?.points ?? 0;
  const multiplier = STATUS_MULTIPLIER[input.status];
  const score = Math.max(0, Math.min(100, Math.round((confidence + sources + categories + recency) * multiplier)));
  return {
    score,
    level: riskLevel(score),
    factors: {
      confidence,
      sources,
      categories,
      recency,
      days_since_last_seen: Number.isFinite(ageDays) ? Math.floor(ageDays) : -1,
      status_multiplier: multiplier,
    },
  };
}
