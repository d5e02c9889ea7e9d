/**
 * Plan quotas: rate-limit headers on every authenticated response, 429 with Retry-After, exact
 * counting under concurrency (50 concurrent requests against a remaining quota of 10: exactly
 * 10 succeed), refused requests not counted, fractional costs, plan changes seen at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserPlan } from '../../src/api/accounts.js';
import { COST_UNITS_PER_REQUEST, windowBounds } from '../../src/store/usage-repository.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { candidate, get, ingest, newKey, startApi, type RunningApi } from './support/server.js';

const PLANS = {
  // A plan whose day window is small and minute window large, so the concurrency test cannot
  // straddle a minute boundary.
  metered: { per_minute: 100_000, per_day: 30, features: 'all', results_per_request: 1000 },
};

/** Wait until at least `seconds` remain in the current UTC minute. */
async function awayFromMinuteEnd(seconds: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((r) => setTimeout(r, left + 50));
}

/** The day's count as stored in usage_counters (on SQLite, after saving the write-behind counts). */
async function dayCount(api: RunningApi, keyId: string): Promise<number> {
  await api.app.usage.flush();
  const row = await api.store.db
    .selectFrom('usage_counters')
    .select('count')
    .where('key_id', '=', keyId)
    .where('window', '=', 'day')
    .where('window_start', '=', windowBounds(new Date(), 'day').start)
    .executeTakeFirst();
  return Number(row?.count ?? 0) / COST_UNITS_PER_REQUEST;
}

describe.each(DATABASE_KINDS)('quotas on %s', (kind) => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi(kind, PLANS);
    await ingest(api.store, [candidate(1), candidate(2)]);
  });
  afterAll(async () => api?.close());

  it('sets X-RateLimit-* on every authenticated response, errors included', async () => {
    await awayFromMinuteEnd(10);
    const { key } = await newKey(api.deps, 'free');
    const ok = await get(api, '/api/v1/iocs', key);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-ratelimit-limit')).toBe('10');
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('9');
    const reset = Number(ok.headers.get('x-ratelimit-reset'));
    expect(reset).toBe(Math.ceil(Date.parse(windowBounds(new Date(), 'minute').next) / 1000));
    const bad = await get(api, '/api/v1/iocs?type=bogus', key);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-ratelimit-remaining')).toBe('8');
  });

  it('refuses the 11th request of a free minute with 429 rate_limit_exceeded and Retry-After, without counting it', async () => {
    await awayFromMinuteEnd(15);
    const k = await newKey(api.deps, 'free');
    const remaining: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await get(api, '/api/v1/iocs', k.key);
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('x-ratelimit-remaining') ?? '');
    }
    expect(remaining).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1', '0']);
    for (let i = 0; i < 3; i++) {
      const res = await get(api, '/api/v1/iocs', k.key);
      expect(res.status).toBe(429);
      const body = (await res.json()) as { error: { code: string; message: string; details: Record<string, unknown> } };
      expect(body.error.code).toBe('rate_limit_exceeded');
      expect(body.error.message).toMatch(/free plan allows 10 requests per minute/);
      expect(body.error.details).toMatchObject({ plan: 'free', window: 'minute', limit: 10 });
      const retry = Number(res.headers.get('retry-after'));
      expect(retry).toBeGreaterThanOrEqual(1);
      expect(retry).toBeLessThanOrEqual(60);
      expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    }
    expect(await dayCount(api, k.id)).toBe(10);
  });

  it('lets exactly 10 of 50 concurrent requests through when 10 remain', async () => {
    const k = await newKey(api.deps, 'metered');
    for (let i = 0; i < 20; i++) expect((await get(api, '/api/v1/iocs?limit=1', k.key)).status).toBe(200);
    const results = await Promise.all(Array.from({ length: 50 }, () => get(api, '/api/v1/iocs?limit=1', k.key)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    for (const r of results.filter((x) => x.status === 429)) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(r.headers.get('x-ratelimit-limit')).toBe('30');
    }
    await Promise.all(results.map((r) => r.arrayBuffer()));
    expect(await dayCount(api, k.id)).toBe(30);
  });

  it('counts fractional costs exactly (TAXII object pulls cost 2.5)', async () => {
    const k = await newKey(api.deps, 'metered');
    const now = new Date();
    const limits = { minute: 100_000, day: 10 };
    const units = 2.5 * COST_UNITS_PER_REQUEST;
    const allowed: boolean[] = [];
    for (let i = 0; i < 5; i++) allowed.push((await api.app.usage.consume(k.id, units, limits, now)).allowed);
    expect(allowed).toEqual([true, true, true, true, false]);
    const one = await api.app.usage.consume(k.id, COST_UNITS_PER_REQUEST, limits, now);
    expect(one.allowed).toBe(false);
    expect(one.day.used).toBe(10);
    expect(await api.app.usage.currentRequests(k.id, now)).toEqual({ minute: 10, day: 10 });
  });

  it('applies a plan change on the next request', async () => {
    await awayFromMinuteEnd(5);
    const k = await newKey(api.deps, 'free');
    expect((await get(api, '/api/v1/iocs?format=csv', k.key)).status).toBe(403);
    await setUserPlan(api.deps, k.email, 'pro');
    const res = await get(api, '/api/v1/iocs?format=csv', k.key);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('1000');
  });

  it('does not count requests refused before counting (401, 403 for a feature)', async () => {
    const k = await newKey(api.deps, 'free');
    expect((await get(api, '/api/v1/iocs?format=csv', k.key)).status).toBe(403);
    expect(await dayCount(api, k.id)).toBe(0);
    expect((await get(api, '/api/v1/iocs?type=bogus', k.key)).status).toBe(400);
    expect(await dayCount(api, k.id)).toBe(1); // a bad parameter still costs a request
    const other = await newKey(api.deps, 'free');
    await api.deps.keys.revoke(other.id, 'test', new Date().toISOString());
    expect((await get(api, '/api/v1/iocs', other.key)).status).toBe(401);
    expect(await dayCount(api, other.id)).toBe(0);
  });
});
