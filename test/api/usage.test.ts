import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { errorOf, ROOMY_PLANS } from './search-fixtures.js';
import { get, newKey, startApi, type RunningApi } from './support/server.js';

interface UsageBody {
  meta: { generated_at: string };
  data: {
    key: { id: string; name: string | null; key_prefix: string | null };
    plan: { name: string; limits: Record<string, number>; features: string[] };
    current: Record<'minute' | 'day', { used: number; limit: number; remaining: number; resets_at: string }>;
    window_days: number;
    daily: Array<{ date: string; requests: number; client_errors: number; server_errors: number }>;
  };
}

const DAY = 86_400_000;
const today = (): string => new Date().toISOString().slice(0, 10);

describe.each(DATABASE_KINDS)('GET /api/v1/usage (%s)', (kind) => {
  let api: RunningApi;
  let key: { key: string; id: string };
  let other: string;
  const usage = async (query = '', k = key.key): Promise<UsageBody> => {
    const res = await get(api, `/api/v1/usage${query}`, k);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as UsageBody;
  };

  beforeAll(async () => {
    // Free quotas as documented (10/min) would stop this suite; keep the plan's other limits.
    api = await startApi(kind, { ...ROOMY_PLANS, free: { per_minute: 500, per_day: 5000 } });
    key = await newKey(api.deps, 'free');
    other = (await newKey(api.deps, 'pro')).key;
    // Two days ago this key made 5 requests and one TAXII pull (2.5): 75 tenths.
    const twoDaysAgo = `${new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10)}T00:00:00.000Z`;
    await api.store.db
      .insertInto('usage_counters')
      .values({ key_id: key.id, window: 'day', window_start: twoDaysAgo, count: 75 })
      .execute();
  });
  afterAll(async () => api?.close());

  it("reports this minute's and today's use against the plan, this request included", async () => {
    for (let i = 0; i < 3; i++) expect((await get(api, '/api/v1/iocs?limit=1', key.key)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await get(api, '/api/v1/iocs?limit=1', other)).status).toBe(200);
    const body = await usage();
    expect(body.data.key).toMatchObject({ id: key.id, name: 'test' });
    expect(body.data.key.key_prefix).toMatch(/^sk_live_/);
    expect(body.data.plan).toMatchObject({
      name: 'free',
      limits: { results_per_request: 100, requests_per_minute: 500, requests_per_day: 5000, lookback_days: 1, keys_per_user: 3 },
    });
    expect(body.data.plan.features).toEqual(['json', 'search', 'lookup']);
    // A minute boundary may fall between the requests; the day holds all four.
    expect(body.data.current.day).toMatchObject({ used: 4, limit: 5000, remaining: 4996 });
    expect(body.data.current.minute.used).toBeGreaterThanOrEqual(1);
    expect(body.data.current.minute.used).toBeLessThanOrEqual(4);
    expect(body.data.current.minute.limit).toBe(500);
    expect(Date.parse(body.data.current.minute.resets_at)).toBeGreaterThan(Date.now() - 1000);
  });

  it('gives a per-day series, oldest first, today last', async () => {
    const week = await usage();
    expect(week.data.window_days).toBe(7);
    expect(week.data.daily).toHaveLength(7);
    expect(week.data.daily.at(-1)?.date).toBe(today());
    const dates = week.data.daily.map((d) => d.date);
    expect([...dates].sort()).toEqual(dates);
    const twoDaysAgo = new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10);
    expect(week.data.daily.find((d) => d.date === twoDaysAgo)?.requests).toBe(7.5);
    expect(week.data.daily.at(-1)?.requests).toBe(week.data.current.day.used);
    const month = await usage('?days=30');
    expect(month.data.daily).toHaveLength(30);
  });

  it('counts errors from the request log', async () => {
    expect((await get(api, '/api/v1/iocs?limit=100000', key.key)).status).toBe(400);
    // The request log is written in batches about once a second.
    await new Promise((r) => setTimeout(r, 1500));
    const body = await usage();
    expect(body.data.daily.at(-1)?.client_errors).toBeGreaterThanOrEqual(1);
    expect(body.data.daily.at(-1)?.server_errors).toBe(0);
  });

  for (const days of ['0', '91', 'seven']) {
    it(`refuses days=${days} with 400 naming days`, async () => {
      const res = await get(api, `/api/v1/usage?days=${days}`, key.key);
      expect(res.status).toBe(400);
      const err = await errorOf(res);
      expect(err.code).toBe('invalid_parameter');
      expect(JSON.stringify(err.details)).toContain('"days"');
    });
  }

  it('needs an API key', async () => {
    expect((await get(api, '/api/v1/usage')).status).toBe(401);
  });
});
