/**
 * The documented key endpoints (`/api/v1/keys`), session cookie only: mint (shown once, within
 * the plan's key limit), list, get, revoke with a reason (the key is refused at once), per-key
 * usage analytics; a member sees only their own keys, an administrator everyone's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentileMs } from '../../src/api/keys-view.js';
import type { CreatedKeyBody, KeyDetail, KeySummary, KeyUsage } from '../../src/api/schemas/keys.js';
import { AuditRepository } from '../../src/store/audit-repository.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { SessionClient, dashboardUser, errorCode } from './support/dashboard-session.js';
import { get, startApi, type RunningApi } from './support/server.js';

describe('latency percentiles from 0.1 ms buckets', () => {
  it.each([
    [[], 0.5, null],
    [[{ tenths: 10, count: 1 }], 0.5, 1.1],
    [[{ tenths: 10, count: 9 }, { tenths: 500, count: 1 }], 0.5, 1.1],
    [[{ tenths: 10, count: 9 }, { tenths: 500, count: 1 }], 0.9, 1.1],
    [[{ tenths: 10, count: 9 }, { tenths: 500, count: 1 }], 0.95, 50.1],
    [[{ tenths: 0, count: 50 }, { tenths: 20, count: 49 }, { tenths: 9999, count: 1 }], 0.99, 2.1],
    [[{ tenths: 0, count: 50 }, { tenths: 20, count: 49 }, { tenths: 9999, count: 1 }], 1, 1000],
  ])('%j at %f is %s ms', (histogram, p, expected) => {
    expect(percentileMs(histogram, p)).toBe(expected);
  });
});

interface KeyList {
  meta: { total: number; keys_per_user: number; active: number };
  data: KeySummary[];
}

describe.each(DATABASE_KINDS)('/api/v1/keys (%s)', (kind) => {
  let api: RunningApi;
  let admin: SessionClient;
  let member: SessionClient;

  const create = (s: SessionClient, body: Record<string, unknown>): Promise<CreatedKeyBody> => s.json<CreatedKeyBody>('POST', '/api/v1/keys', body, 201);

  beforeAll(async () => {
    // Free: 3 keys per user (as documented); 5 requests a minute so a 429 is easy to provoke.
    api = await startApi(kind, { free: { per_minute: 5 } });
    admin = await SessionClient.signIn(api.url, (await dashboardUser(api.deps, 'admin', 'pro')).email);
    member = await SessionClient.signIn(api.url, (await dashboardUser(api.deps, 'member', 'free')).email);
  });
  afterAll(async () => api?.close());

  it('refuses API keys: key management needs the session', async () => {
    const created = await create(member, { name: 'bearer' });
    for (const [method, path] of [
      ['GET', '/api/v1/keys'],
      ['POST', '/api/v1/keys'],
      ['GET', `/api/v1/keys/${created.data.id}`],
      ['DELETE', `/api/v1/keys/${created.data.id}`],
      ['GET', `/api/v1/keys/${created.data.id}/usage`],
    ] as const) {
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${created.data.key}`, 'content-type': 'application/json' },
        ...(method === 'POST' || method === 'DELETE' ? { body: '{"name":"x"}' } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(await errorCode(res)).toBe('authentication_required');
    }
    await member.json('DELETE', `/api/v1/keys/${created.data.id}`, { reason: 'test over' });
  });

  it('mints a key shown once, in the hosted shape, that works at once', async () => {
    const created = await create(member, { name: '  splunk-prod  ', expires_in_days: 30 });
    expect(created.meta.warning).toMatch(/shown only this once/);
    expect(created.data.key).toMatch(/^sk_live_[0-9A-Za-z]{32}$/);
    expect(created.data.full_key).toBe(created.data.key);
    expect(created.data).toMatchObject({
      name: 'splunk-prod',
      key_prefix: created.data.key.slice(0, 12),
      key_preview: created.data.key.slice(0, 12),
      tier: 'free',
      plan: 'free',
      scopes: ['read:iocs'],
      status: 'active',
      rate_limit_per_minute: 5,
      rate_limit_per_day: 1000,
      user_email: member.user.email,
    });
    expect(Date.parse(created.data.expires_at ?? '') - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await get(api, '/api/v1/iocs', created.data.key)).status).toBe(200);
    const detail = await member.json<{ data: KeyDetail }>('GET', `/api/v1/keys/${created.data.id}`);
    expect(detail.data).not.toHaveProperty('key');
    expect(JSON.stringify(detail)).not.toContain(created.data.key);
    const list = await member.json<KeyList>('GET', '/api/v1/keys');
    expect(JSON.stringify(list)).not.toContain(created.data.key);
    expect(list.data.map((k) => k.id)).toContain(created.data.id);
    await member.json('DELETE', `/api/v1/keys/${created.data.id}`, { reason: 'test over' });
  });

  it.each([
    [{ name: '' }, 'invalid_body'],
    [{ name: 'x'.repeat(101) }, 'invalid_body'],
    [{ name: 'ok', expires_in_days: 0 }, 'invalid_body'],
    [{ name: 'ok', expires_in_days: 366 }, 'invalid_body'],
    [{ name: '   ' }, 'invalid_parameter'],
    [{}, 'invalid_body'],
  ])('refuses %j with %s', async (body, code) => {
    const res = await member.request('POST', '/api/v1/keys', body);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe(code);
  });

  it("holds the plan's key limit; a revoked key frees a place", async () => {
    const user = await dashboardUser(api.deps, 'member', 'free');
    const s = await SessionClient.signIn(api.url, user.email);
    const keys = [];
    for (let i = 0; i < 3; i++) keys.push(await create(s, { name: `k${i}` }));
    const over = await s.request('POST', '/api/v1/keys', { name: 'k3' });
    expect(over.status).toBe(403);
    expect(await errorCode(over)).toBe('key_limit_reached');
    const list = await s.json<KeyList>('GET', '/api/v1/keys');
    expect(list.meta).toEqual({ total: 3, keys_per_user: 3, active: 3 });
    await s.json('DELETE', `/api/v1/keys/${keys[0]?.data.id}`, { reason: 'rotate' });
    await create(s, { name: 'k3' });
  });

  it('revokes with a reason: the key is refused at once, and a second revocation conflicts', async () => {
    const created = await create(member, { name: 'to-revoke' });
    expect((await get(api, '/api/v1/iocs', created.data.key)).status).toBe(200);
    const revoked = await member.json<{ data: KeyDetail }>('DELETE', `/api/v1/keys/${created.data.id}`, { reason: 'leaked in a ticket' });
    expect(revoked.data).toMatchObject({ status: 'revoked', revoked_reason: 'leaked in a ticket' });
    const refused = await get(api, '/api/v1/iocs', created.data.key);
    expect(refused.status).toBe(401);
    expect(await errorCode(refused)).toBe('invalid_api_key');
    const again = await member.request('DELETE', `/api/v1/keys/${created.data.id}`, { reason: 'again' });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe('conflict');
    // The body is optional: a default reason names who revoked it.
    const other = await create(member, { name: 'no-reason' });
    const bare = await fetch(`${api.url}/api/v1/keys/${other.data.id}`, { method: 'DELETE', headers: { cookie: member.cookie, 'x-csrf-token': member.csrf } });
    expect(bare.status).toBe(200);
    expect(((await bare.json()) as { data: KeyDetail }).data.revoked_reason).toBe(`revoked by ${member.user.email}`);
    const audit = await new AuditRepository(api.store.db).list({ limit: 50 });
    expect(audit.find((a) => a.action === 'key.revoke' && a.target?.id === created.data.id)).toMatchObject({
      actor: { email: member.user.email },
      details: { reason: 'leaked in a ticket', key_prefix: created.data.key_prefix },
    });
    expect(JSON.stringify(audit)).not.toContain(created.data.key);
  });

  it("keeps a member to their own keys; an administrator sees and revokes anyone's", async () => {
    const adminKey = await create(admin, { name: 'admin-own' });
    const memberKey = await create(member, { name: 'member-own' });
    for (const path of [`/api/v1/keys/${adminKey.data.id}`, `/api/v1/keys/${adminKey.data.id}/usage`]) {
      const res = await member.request('GET', path);
      expect(res.status, path).toBe(404);
      expect(await errorCode(res)).toBe('not_found');
    }
    expect((await member.request('DELETE', `/api/v1/keys/${adminKey.data.id}`, { reason: 'mine now' })).status).toBe(404);
    expect((await get(api, '/api/v1/iocs', adminKey.data.key)).status).toBe(200);
    const mine = await member.json<KeyList>('GET', '/api/v1/keys');
    expect(mine.data.every((k) => k.user_id === member.user.id)).toBe(true);
    expect((await member.request('GET', '/api/v1/keys?all=true')).status).toBe(403);

    const all = await admin.json<KeyList>('GET', '/api/v1/keys?all=true');
    expect(all.data.find((k) => k.id === memberKey.data.id)?.user_email).toBe(member.user.email);
    const own = await admin.json<KeyList>('GET', '/api/v1/keys');
    expect(own.data.map((k) => k.id)).not.toContain(memberKey.data.id);
    expect((await admin.request('GET', `/api/v1/keys/${memberKey.data.id}/usage`)).status).toBe(200);
    await admin.json('DELETE', `/api/v1/keys/${memberKey.data.id}`, { reason: 'offboarding' });
    expect((await get(api, '/api/v1/iocs', memberKey.data.key)).status).toBe(401);
    await admin.json('DELETE', `/api/v1/keys/${adminKey.data.id}`, { reason: 'test over' });
  });

  it('reports usage analytics: totals, statuses, latency, endpoints, days and 429s by hour', async () => {
    const created = await create(member, { name: 'analytics' });
    const key = created.data.key;
    // 5 a minute: 3 answered 200, 1 answered 400, 1 answered 404; then 2 refused with 429
    // (all within one UTC minute: start clear of a minute boundary).
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    for (const path of ['/api/v1/iocs', '/api/v1/iocs?limit=5', '/api/v1/lookup?ioc=8.8.8.8', '/api/v1/iocs?limit=100000', '/api/v1/iocs/00000000-0000-5000-8000-000000000000']) {
      await get(api, path, key);
    }
    expect((await get(api, '/api/v1/iocs', key)).status).toBe(429);
    expect((await get(api, '/api/v1/iocs', key)).status).toBe(429);
    await new Promise((r) => setTimeout(r, 1500));
    const { data } = await member.json<{ data: KeyUsage }>('GET', `/api/v1/keys/${created.data.id}/usage?days=7`);
    expect(data).toMatchObject({
      key_id: created.data.id,
      window_days: 7,
      total_requests: 7,
      successful: 3,
      client_errors: 4,
      server_errors: 0,
      by_status: { '200': 3, '400': 1, '404': 1, '429': 2 },
      rate_limit_peak_per_minute: 5,
      rate_limit_peak_per_day: 5,
      rate_limit_per_minute: 5,
    });
    expect(data.success_rate).toBeCloseTo(3 / 7, 3);
    expect(data.top_endpoints[0]).toEqual({ path: '/api/v1/iocs', count: 5 });
    expect(data.top_endpoints.map((e) => e.path).sort()).toEqual(['/api/v1/iocs', '/api/v1/iocs/:id', '/api/v1/lookup']);
    expect(data.daily).toHaveLength(7);
    expect(data.daily.at(-1)).toEqual({ date: new Date().toISOString().slice(0, 10), requests: 7, errors: 4 });
    expect(data.rate_limit_hits_by_hour).toEqual([{ hour: `${new Date().toISOString().slice(0, 13)}:00:00Z`, count: 2 }]);
    for (const p of [data.latency_p50_ms, data.latency_p95_ms, data.latency_p99_ms, data.avg_response_time_ms]) expect(p).toBeGreaterThan(0);
    expect(data.latency_p50_ms ?? 0).toBeLessThanOrEqual(data.latency_p95_ms ?? 0);
    expect(data.latency_p95_ms ?? 0).toBeLessThanOrEqual(data.latency_p99_ms ?? 0);
    const list = await member.json<KeyList>('GET', '/api/v1/keys');
    expect(list.data.find((k) => k.id === created.data.id)?.total_requests).toBe(5);
    for (const days of ['0', '91', 'x']) expect((await member.request('GET', `/api/v1/keys/${created.data.id}/usage?days=${days}`)).status).toBe(400);
    const empty = await member.json<{ data: KeyUsage }>('GET', `/api/v1/keys/${(await create(member, { name: 'unused' })).data.id}/usage`);
    expect(empty.data).toMatchObject({ total_requests: 0, success_rate: null, latency_p50_ms: null, window_days: 30 });
  });
});
