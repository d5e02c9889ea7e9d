/**
 * The bodies of the key endpoints, built from stored keys and usage aggregates. Pure.
 */
import type { Plan } from '../domain/plans.js';
import type { ApiKey } from '../store/keys-repository.js';
import type { KeyUsageRaw } from '../store/key-usage-queries.js';
import { COST_UNITS_PER_REQUEST } from '../store/usage-repository.js';
import type { KeyDetail, KeySummary, KeyUsage } from './schemas/keys.js';

const DAY_MS = 86_400_000;

export function keyStatus(key: Pick<ApiKey, 'revoked_at' | 'expires_at'>, now: Date): KeySummary['status'] {
  if (key.revoked_at !== null) return 'revoked';
  if (key.expires_at !== null && key.expires_at <= now.toISOString()) return 'expired';
  return 'active';
}

export function keySummary(key: ApiKey, units: number, email: string | null, now: Date): KeySummary {
  return {
    id: key.id,
    key_prefix: key.key_prefix,
    name: key.name,
    tier: key.plan,
    plan: key.plan,
    scopes: key.scopes,
    status: keyStatus(key, now),
    total_requests: units / COST_UNITS_PER_REQUEST,
    last_used_at: key.last_used_at,
    created_at: key.created_at,
    expires_at: key.expires_at,
    revoked_at: key.revoked_at,
    revoked_reason: key.revoked_reason,
    user_id: key.user_id,
    user_email: email,
  };
}

export function keyDetail(summary: KeySummary, plan: Plan): KeyDetail {
  return {
    ...summary,
    rate_limit_per_minute: plan.perMinute,
    rate_limit_per_day: plan.perDay,
    results_per_request: plan.resultsPerRequest,
    allowed_ips: null,
  };
}

/**
 * The latency (ms) at or below which a share `p` (0..1) of requests answered, from a histogram
 * of 0.1 ms buckets sorted ascending; null without requests. Reports a bucket's upper edge, so
 * it never understates.
 *
 * @example percentileMs([{ tenths: 10, count: 9 }, { tenths: 500, count: 1 }], 0.5) // 1.1
 */
export function percentileMs(histogram: ReadonlyArray<{ tenths: number; count: number }>, p: number): number | null {
  const total = histogram.reduce((s, b) => s + b.count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const b of histogram) {
    seen += b.count;
    if (seen >= rank) return (b.tenths + 1) / 10;
  }
  const last = histogram[histogram.length - 1];
  return last ? (last.tenths + 1) / 10 : null;
}

/** The UTC start of the first day of a `days`-day window ending today. */
export function windowStart(now: Date, days: number): string {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return new Date(today - (days - 1) * DAY_MS).toISOString();
}

export function keyUsageView(keyId: string, raw: KeyUsageRaw, days: number, now: Date, plan: Plan): KeyUsage {
  let total = 0;
  let successful = 0;
  let clientErrors = 0;
  let serverErrors = 0;
  let latencyMs = 0;
  const byStatus: Record<string, number> = {};
  for (const s of raw.byStatus) {
    total += s.count;
    latencyMs += s.latencyMs;
    byStatus[String(s.status)] = s.count;
    if (s.status >= 500) serverErrors += s.count;
    else if (s.status >= 400) clientErrors += s.count;
    else successful += s.count;
  }
  const from = Date.parse(windowStart(now, days));
  const byDay = new Map(raw.daily.map((d) => [d.day, d]));
  const daily = [];
  for (let i = 0; i < days; i++) {
    const date = new Date(from + i * DAY_MS).toISOString().slice(0, 10);
    const d = byDay.get(date);
    daily.push({ date, requests: d?.requests ?? 0, errors: d?.errors ?? 0 });
  }
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  return {
    key_id: keyId,
    window_days: days,
    total_requests: total,
    successful,
    client_errors: clientErrors,
    server_errors: serverErrors,
    success_rate: total === 0 ? null : round(successful / total),
    avg_response_time_ms: total === 0 ? null : round(latencyMs / total),
    latency_p50_ms: percentileMs(raw.latencyHistogram, 0.5),
    latency_p95_ms: percentileMs(raw.latencyHistogram, 0.95),
    latency_p99_ms: percentileMs(raw.latencyHistogram, 0.99),
    rate_limit_peak_per_minute: raw.peakUnits.minute / COST_UNITS_PER_REQUEST,
    rate_limit_peak_per_day: raw.peakUnits.day / COST_UNITS_PER_REQUEST,
    rate_limit_per_minute: plan.perMinute,
    rate_limit_per_day: plan.perDay,
    top_endpoints: raw.topEndpoints,
    by_status: byStatus,
    daily,
    rate_limit_hits_by_hour: raw.rateLimitHitsByHour.map((h) => ({ hour: `${h.hour}:00:00Z`, count: h.count })),
  };
}
