/**
 * User administration (`/api/admin/users`, `/api/admin/audit`): administrators only; create,
 * change plan (keys follow), disable (sessions end, keys stop) and enable; every action audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryView, UserView } from '../../src/api/schemas/admin.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { PASSWORD, SessionClient, dashboardUser, errorCode } from './support/dashboard-session.js';
import { get, newKey, startApi, type RunningApi } from './support/server.js';

interface AuditPage {
  data: AuditEntryView[];
  meta: { next_before: number | null };
}

describe.each(DATABASE_KINDS)('/api/admin/users (%s)', (kind) => {
  let api: RunningApi;
  let admin: SessionClient;
  let member: SessionClient;

  beforeAll(async () => {
    api = await startApi(kind);
    admin = await SessionClient.signIn(api.url, (await dashboardUser(api.deps, 'admin', 'pro')).email);
    member = await SessionClient.signIn(api.url, (await dashboardUser(api.deps, 'member')).email);
  });
  afterAll(async () => api?.close());

  it('is for administrators only', async () => {
    const target = await dashboardUser(api.deps, 'member');
    for (const [method, path, body] of [
      ['GET', '/api/admin/users', undefined],
      ['POST', '/api/admin/users', { email: 'x@example.com', password: 'long enough password', role: 'admin', plan: 'pro' }],
      ['PATCH', `/api/admin/users/${target.id}`, { plan: 'pro' }],
      ['GET', '/api/admin/audit', undefined],
      ['GET', '/api/admin/feeds', undefined],
      ['POST', '/api/admin/feeds/x/run', undefined],
    ] as const) {
      const res = await member.request(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(await errorCode(res)).toBe('forbidden');
      const anonymous = await fetch(`${api.url}${path}`, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
      expect(anonymous.status, `${method} ${path} without a session`).toBe(401);
    }
    expect((await api.deps.accounts.findById(target.id))?.plan).toBe('free');
  });

  it('creates users, refusing duplicates, weak passwords and unknown plans', async () => {
    const email = `new-${Date.now()}@example.com`;
    const created = await admin.json<{ data: UserView }>('POST', '/api/admin/users', { email: email.toUpperCase(), password: PASSWORD, role: 'member', plan: 'pro' }, 201);
    expect(created.data).toMatchObject({ email, role: 'member', plan: 'pro', disabled: false });
    await SessionClient.signIn(api.url, email);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ email, password: PASSWORD, role: 'member', plan: 'free' }, 409, 'conflict'],
      [{ email: `b${email}`, password: 'short', role: 'member', plan: 'free' }, 400, 'invalid_body'],
      [{ email: `c${email}`, password: PASSWORD, role: 'member', plan: 'platinum' }, 400, 'invalid_parameter'],
      [{ email: 'not an address', password: PASSWORD, role: 'member', plan: 'free' }, 400, 'invalid_parameter'],
      [{ email: `d${email}`, password: PASSWORD, role: 'root', plan: 'free' }, 400, 'invalid_body'],
    ];
    for (const [body, status, code] of cases) {
      const res = await admin.request('POST', '/api/admin/users', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(await errorCode(res)).toBe(code);
    }
    const list = await admin.json<{ data: UserView[]; meta: { plans: string[] } }>('GET', '/api/admin/users');
    expect(list.data.map((u) => u.email)).toContain(email);
    expect(list.meta.plans).toEqual(['free', 'pro']);
  });

  it("changes a user's plan; their keys follow on their next request", async () => {
    const { key, userId } = await newKey(api.deps, 'free');
    expect((await get(api, '/api/v1/iocs?format=csv', key)).status).toBe(403);
    const changed = await admin.json<{ data: UserView }>('PATCH', `/api/admin/users/${userId}`, { plan: 'pro' });
    expect(changed.data.plan).toBe('pro');
    expect((await get(api, '/api/v1/iocs?format=csv', key)).status).toBe(200);
    const bad = await admin.request('PATCH', `/api/admin/users/${userId}`, { plan: 'platinum' });
    expect(bad.status).toBe(400);
    expect((await admin.request('PATCH', '/api/admin/users/no-such-user', { plan: 'pro' })).status).toBe(404);
    expect((await admin.request('PATCH', `/api/admin/users/${userId}`, {})).status).toBe(400);
  });

  it('disables a user: their sessions end and keys stop at once; enabling restores the keys', async () => {
    const { key, userId, email } = await newKey(api.deps, 'free');
    await api.deps.accounts.findById(userId);
    const session = await SessionClient.signIn(api.url, email, 'correct horse battery');
    expect((await session.request('GET', '/api/session')).status).toBe(200);
    const disabled = await admin.json<{ data: UserView }>('PATCH', `/api/admin/users/${userId}`, { disabled: true });
    expect(disabled.data.disabled).toBe(true);
    expect((await session.request('GET', '/api/session')).status).toBe(401);
    const refused = await get(api, '/api/v1/iocs', key);
    expect(refused.status).toBe(401);
    expect(await errorCode(refused)).toBe('invalid_api_key');
    await admin.json('PATCH', `/api/admin/users/${userId}`, { disabled: false });
    expect((await get(api, '/api/v1/iocs', key)).status).toBe(200);
    const self = await admin.request('PATCH', `/api/admin/users/${admin.user.id}`, { disabled: true });
    expect(self.status).toBe(400);
    expect((await admin.request('GET', '/api/session')).status).toBe(200);
  });

  it('audits every administrative action, newest first, paged', async () => {
    const target = await dashboardUser(api.deps, 'member');
    await admin.json('PATCH', `/api/admin/users/${target.id}`, { plan: 'pro' });
    await admin.json('PATCH', `/api/admin/users/${target.id}`, { disabled: true });
    await admin.json('PATCH', `/api/admin/users/${target.id}`, { disabled: false });
    const page = await admin.json<AuditPage>('GET', '/api/admin/audit?limit=3');
    expect(page.data.map((e) => e.action)).toEqual(['user.enable', 'user.disable', 'user.set_plan']);
    for (const e of page.data) {
      expect(e.actor).toEqual({ id: admin.user.id, email: admin.user.email });
      expect(e.target).toEqual({ type: 'user', id: target.id });
      expect(e.ip).toBe('127.0.0.1');
    }
    expect(page.data[2]?.details).toMatchObject({ email: target.email, from: 'free', to: 'pro' });
    expect(page.meta.next_before).toBe(page.data[2]?.id);
    const older = await admin.json<AuditPage>('GET', `/api/admin/audit?limit=500&before=${page.meta.next_before}`);
    expect(older.data.every((e) => e.id < (page.meta.next_before ?? 0))).toBe(true);
    const actions = older.data.map((e) => e.action);
    for (const a of ['user.create', 'user.set_plan', 'user.disable', 'user.enable', 'session.sign_in']) expect(actions).toContain(a);
    expect(JSON.stringify(older)).not.toContain(PASSWORD);
  });
});
